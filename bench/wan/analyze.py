#!/usr/bin/env python3
"""Reads the origin's access log of one benchmark download (lines END_S DURATION_S CLIENT STATUS
BYTES RANGE, see origin.py) and prints key=value results for bench/wan/run.sh:

  transfer_s      first byte request received .. last byte of the file handed to the kernel (for
                  tools whose requests are not whole chunks, e.g. aria2c: first to last body response)
  mbit_s          file size / transfer_s, in Mbit/s (10^6 bit)
  origin_ratio    body bytes the origin sent (probe and endgame duplicates included) / file size
  requests        responses the origin sent
  median_chunk_s  median time of one complete chunk response (request head .. last byte, delay included)
  tail_phase      (time the last chunk completed - time 95 % of chunks had completed) / median_chunk_s
  tail_chunk      slowest of the last 5 % of chunks to complete, first request .. first complete
                  copy, / median_chunk_s
  share_N         fraction of the file's bytes that host N delivered first (hosts by WAN address)

usage: analyze.py LOG FIRST_LINE FILE_SIZE CHUNK_SIZE
"""
import statistics
import sys
from collections import defaultdict


def plan_chunks(size, chunk):
    """Chunks of p2pdl's plan (ChunkPlan/ChunkPlanner): equal chunks, but from 16 of them on the
    last eighth (at most 16) are each cut into 4 pieces."""
    equal = -(-size // chunk)
    tail = 0 if equal < 16 else min(equal // 8, 16)
    if tail == 0:
        return equal
    piece = -(-chunk // 4)
    head = equal - tail
    return head + -(-(size - head * chunk) // piece)


def main():
    log, first_line, size, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rows = []
    with open(log) as f:
        for i, line in enumerate(f, start=1):
            if i < first_line:
                continue
            parts = line.split()
            if len(parts) < 6:
                continue
            end, dur, client, status, sent, rng = float(parts[0]), float(parts[1]), parts[2], int(parts[3]), int(parts[4]), parts[5]
            rows.append((end - dur, end, client, status, sent, rng))
    if not rows:
        sys.exit("analyze: no origin requests after line %d of %s" % (first_line, log))
    sent_total = sum(r[4] for r in rows)
    # Chunk responses: ranges that start on a chunk boundary and are complete.
    first_start = {}
    first_done = {}
    done_by = {}
    durations = []
    for start, end, client, status, sent, rng in rows:
        if status != 206 or not rng.startswith("bytes="):
            continue
        lo, _, hi = rng[len("bytes="):].partition("-")
        if not lo or not hi:
            continue
        lo, hi = int(lo), int(hi)
        if hi - lo + 1 <= 1 and size > 1:
            continue  # the coordinator's probe (bytes=0-0)
        first_start[lo] = min(first_start.get(lo, start), start)
        if sent == hi - lo + 1:
            durations.append(end - start)
            if lo not in first_done or end < first_done[lo]:
                first_done[lo] = end
                done_by[lo] = (client, sent)
    out = {"requests": len(rows), "origin_bytes": sent_total, "origin_ratio": "%.4f" % (sent_total / size)}
    expected_chunks = plan_chunks(size, chunk)
    if len(first_done) < expected_chunks:
        # Not chunk-aligned requests (aria2c): the window of all body responses.
        body = [r for r in rows if r[4] > 1]
        t0, t1 = min(r[0] for r in body), max(r[1] for r in body)
        out["transfer_s"] = "%.2f" % (t1 - t0)
        out["mbit_s"] = "%.1f" % (size * 8 / (t1 - t0) / 1e6)
    else:
        t0 = min(first_start.values())
        t1 = max(first_done.values())
        transfer = t1 - t0
        out["transfer_s"] = "%.2f" % transfer
        out["mbit_s"] = "%.1f" % (size * 8 / transfer / 1e6)
        med = statistics.median(durations)
        out["median_chunk_s"] = "%.3f" % med
        order = sorted(first_done.items(), key=lambda kv: kv[1])
        n = len(order)
        tail_n = max(1, -(-n * 5 // 100))  # ceil(5 %)
        t95 = order[n - tail_n - 1][1] if n > tail_n else t0
        out["tail_phase"] = "%.2f" % ((t1 - t95) / med)
        out["tail_chunk"] = "%.2f" % (max(done - first_start[lo] for lo, done in order[n - tail_n:]) / med)
        by_host = defaultdict(int)
        for client, sent in done_by.values():
            by_host[client] += sent
        for client, sent in sorted(by_host.items(), key=lambda kv: [int(x) for x in kv[0].split(".")]):
            host = client.split(".")[2]  # WAN addresses are 10.77.HOST.2
            out["share_%s" % host] = "%.3f" % (sent / size)
        out["chunks_complete"] = n
        out["chunks_expected"] = expected_chunks
    for k, v in out.items():
        print("%s=%s" % (k, v))


if __name__ == "__main__":
    main()
