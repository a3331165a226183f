/**
 * Bundles the storefront chat widget (widget/*.ts, vanilla DOM, no runtime dependencies) into
 * extensions/chat-bubble/assets/shopdesk-widget.js: one minified ES2019 IIFE with its CSS inlined as a
 * string (it goes into the widget's shadow root). The built file is committed, because Shopify deploys the
 * extension folder as it is; tests/unit/widget-bundle.test.ts fails when it is out of date.
 *
 * Usage: npm run build:widget   (node --import tsx/esm scripts/build-widget.ts)
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin, transform } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WIDGET_ENTRY = path.join(ROOT, "widget", "main.ts");
export const WIDGET_OUTFILE = path.join(ROOT, "extensions", "chat-bubble", "assets", "shopdesk-widget.js");

const BANNER = "/* Shopdesk chat widget. Generated from widget/ by scripts/build-widget.ts (npm run build:widget): do not edit. */";

/** `import css from "./widget.css"` → the minified stylesheet as a string. */
const cssAsText: Plugin = {
  name: "css-as-text",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.css$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const { code } = await transform(source, { loader: "css", minify: true, target: ["chrome90", "safari14", "firefox90"] });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: "js" };
    });
  },
};

/** The bundle's text, built in memory. */
export async function buildWidget(): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [WIDGET_ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2019",
    minify: true,
    legalComments: "none",
    sourcemap: false,
    banner: { js: BANNER },
    plugins: [cssAsText],
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no output");
  return output.text;
}

async function main() {
  const code = await buildWidget();
  await writeFile(WIDGET_OUTFILE, code);
  console.log(`${path.relative(process.cwd(), WIDGET_OUTFILE)}: ${code.length} B, ${gzipSync(code).length} B gzip`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error("build:widget failed:", error);
    process.exitCode = 1;
  });
}
