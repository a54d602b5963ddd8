package io.p2pdl.coordinator.lease;

/**
 * Progress of one download's chunks.
 *
 * @param total chunks in the plan
 * @param queued waiting for a worker
 * @param leased being fetched
 * @param written bytes in the file, not yet durable
 * @param done durable
 * @param doneBytes bytes of the durable chunks
 * @param activeWorkers distinct workers holding a live lease
 */
public record ChunkCounts(int total, int queued, int leased, int written, int done, long doneBytes,
        int activeWorkers) {
}
