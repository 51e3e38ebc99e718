-- CreateTable
CREATE TABLE "stuck_steps" (
    "id" UUID NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "activity_id" TEXT NOT NULL,
    "workflow_type" TEXT NOT NULL,
    "activity_type" TEXT NOT NULL,
    "task_queue" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "first_scheduled_at" TIMESTAMPTZ(3) NOT NULL,
    "last_failure" TEXT NOT NULL,
    "last_failed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stuck_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stuck_steps_task_queue_created_at_id_idx" ON "stuck_steps"("task_queue", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "stuck_steps_workflow_id_run_id_activity_id_key" ON "stuck_steps"("workflow_id", "run_id", "activity_id");

