import { createServer, type Server } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";

/**
 * Many client connections share PGlite's single database session, so what one client does must not interleave
 * with another's. pglite-socket's own queue interleaves at the message level: a Parse from one connection could
 * land between another's Parse and Bind (the unnamed statement is shared), which broke concurrent Prisma
 * queries ("bind message supplies 6 parameters, but prepared statement "" requires 2"). This queue hands the
 * session to one connection for a whole extended-protocol exchange (until Sync) and for a whole transaction.
 */

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

// Frontend messages that continue an extended-protocol exchange: Parse, Bind, Describe, Execute, Close, Flush,
// CopyData. Sync ('S'), Query ('Q'), CopyDone/CopyFail and Terminate end it.
const CONTINUES_EXCHANGE = new Set(["P", "B", "D", "E", "C", "H", "d"]);

export class SessionQueue {
  private queue: Pending[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength() {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number) {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** A client that disconnects while it owns the session gives it back, rolling back its open transaction. */
  async clearTransactionIfNeeded(handlerId: number) {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    void this.process();
  }

  private async process() {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const item = this.queue.splice(index, 1)[0]!;
        const type = String.fromCharCode(item.message[0] ?? 0);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        if (CONTINUES_EXCHANGE.has(type)) this.owner = item.handlerId;
        else if (/[SQcfX]/.test(type)) this.owner = this.db.isInTransaction() ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

/** A PostgreSQL wire-protocol server for one PGlite database on 127.0.0.1, with SessionQueue ordering. */
export async function servePGlite(db: PGlite, options: { port: number; host?: string }) {
  const queue = new SessionQueue(db);
  let active = 0;
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    const handler = new PGLiteSocketHandler({
      // The handler only calls enqueue / clearQueueForHandler / clearTransactionIfNeeded / getQueueLength.
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
      closeOnDetach: true,
    });
    active++;
    let closed = false;
    const release = () => {
      if (closed) return;
      closed = true;
      active--;
      queue.clearQueueForHandler(handler.handlerId);
      void queue.clearTransactionIfNeeded(handler.handlerId);
    };
    handler.addEventListener("close", release);
    handler.addEventListener("error", release);
    handler.attach(socket).catch(() => {
      release();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    activeConnections: () => active,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
