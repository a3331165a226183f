-- Staff can ask the platform to send the shopper the tracking details of a shipment again.
ALTER TYPE "OrderActionKind" ADD VALUE IF NOT EXISTS 'resend_tracking';
