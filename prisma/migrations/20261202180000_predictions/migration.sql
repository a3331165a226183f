-- Predictions: each shop's latest CSAT and churn model (weights, standardisation, cross-validated quality) and the
-- scores it gave open conversations and customers, with their top factors (app/modules/predictions).
CREATE TABLE "PredictionModel" (
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "examples" INTEGER NOT NULL,
    "positives" INTEGER NOT NULL,
    "features" TEXT[],
    "intercept" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "weights" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "means" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "stds" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "horizonDays" INTEGER,
    "trainedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PredictionModel_pkey" PRIMARY KEY ("shopId", "kind")
);

CREATE TABLE "PredictionScore" (
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "factors" JSONB NOT NULL DEFAULT '[]',
    "scoredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PredictionScore_pkey" PRIMARY KEY ("shopId", "kind", "subjectId")
);

CREATE INDEX "PredictionScore_shopId_kind_probability_idx" ON "PredictionScore"("shopId", "kind", "probability");

ALTER TABLE "PredictionModel" ADD CONSTRAINT "PredictionModel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PredictionScore" ADD CONSTRAINT "PredictionScore_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security like every table (see 20261202110000_database_lockdown).
ALTER TABLE "PredictionModel" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PredictionScore" ENABLE ROW LEVEL SECURITY;
