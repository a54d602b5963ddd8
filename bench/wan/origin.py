#!/usr/bin/env python3
"""A small HTTP/1.1 origin for the WAN benchmark: one file, byte ranges, a strong ETag, and a
configurable delay before every response (this kernel has no netem, so round-trip latency is
added here). Every response is logged as one line, in the same format as the nginx origin of
bench/wan/run.sh:

    END_EPOCH_S DURATION_S CLIENT_IP STATUS BODY_BYTES RANGE_HEADER

DURATION_S runs from the request head to the last body byte handed to the kernel (delay included).

usage: origin.py --bind ADDR --port P --root DIR --delay-ms MS --log PATH
serves every regular file directly inside DIR at /NAME.
"""
import argparse
import hashlib
import os
import re
import socket
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header, size):
    """(start, end) inclusive for a single satisfiable range, None to serve 200, 'bad' for 416."""
    if header is None:
        return None
    m = RANGE.match(header.strip())
    if not m or (m.group(1) == "" and m.group(2) == ""):
        return None  # multiple or malformed ranges: RFC 9110 lets us ignore the header
    if m.group(1) == "":
        suffix = int(m.group(2))
        if suffix == 0:
            return "bad"
        return max(size - suffix, 0), size - 1
    start = int(m.group(1))
    end = size - 1 if m.group(2) == "" else min(int(m.group(2)), size - 1)
    if start >= size or end < start:
        return "bad"
    return start, end


class Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "p2pdl-bench-origin"

    def log_message(self, fmt, *args):  # the access log below replaces the stderr log
        pass

    def do_HEAD(self):
        self.serve(head=True)

    def do_GET(self):
        self.serve(head=False)

    def serve(self, head):
        began = time.time()
        if self.server.delay > 0:
            time.sleep(self.server.delay)
        cfg = self.server.lookup(self.path.split("?")[0])
        if cfg is None:
            self.send_error(404)
            self.record(began, 404, 0)
            return
        size = cfg.size
        rng = parse_range(self.headers.get("Range"), size)
        if_range = self.headers.get("If-Range")
        if rng is not None and if_range is not None and if_range != cfg.etag and if_range != cfg.last_modified:
            rng = None  # the client's copy is stale: the whole new file
        if rng == "bad":
            self.send_response(416)
            self.send_header("Content-Range", "bytes */%d" % size)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.record(began, 416, 0)
            return
        start, end = (0, size - 1) if rng is None else rng
        length = end - start + 1
        self.send_response(200 if rng is None else 206)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", cfg.etag)
        self.send_header("Last-Modified", cfg.last_modified)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        if rng is not None:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        self.end_headers()
        sent = 0
        if not head:
            self.wfile.flush()
            with open(cfg.file, "rb") as f:
                try:
                    while sent < length:
                        n = os.sendfile(self.connection.fileno(), f.fileno(), start + sent, length - sent)
                        if n == 0:
                            break
                        sent += n
                except OSError:
                    self.close_connection = True
        self.record(began, 200 if rng is None else 206, sent)

    def record(self, began, status, sent):
        now = time.time()
        line = "%.3f %.3f %s %d %d %s\n" % (now, now - began, self.client_address[0], status, sent,
                                            self.headers.get("Range", "-").replace(" ", ""))
        with self.server.log_lock:
            self.server.log.write(line)
            self.server.log.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def lookup(self, url_path):
        """The file behind /NAME with its size and validators, or None."""
        name = url_path.lstrip("/")
        path = os.path.join(self.root, name)
        if "/" in name or name in ("", ".", "..") or not os.path.isfile(path):
            return None
        st = os.stat(path)
        # Strong ETag from the file's identity (size, mtime, inode): it changes when the file does.
        etag = '"%s"' % hashlib.sha256(("%d-%d-%d" % (st.st_size, st.st_mtime_ns, st.st_ino)).encode()).hexdigest()[:16]
        return argparse.Namespace(file=path, size=st.st_size, etag=etag,
                                  last_modified=formatdate(st.st_mtime, usegmt=True))

    def get_request(self):
        conn, addr = super().get_request()
        # A small send buffer keeps the logged end time close to the time the client got the last
        # byte: otherwise up to several MiB could still sit in the kernel behind the shaped link.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.sndbuf)
        return conn, addr

    def server_bind(self):
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        super().server_bind()


def main():
    p = argparse.ArgumentParser(description="benchmark origin with ranges, strong ETag and a delay")
    p.add_argument("--bind", default="0.0.0.0")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--root", required=True, help="directory whose files are served as /NAME")
    p.add_argument("--delay-ms", type=int, default=0, help="sleep before every response")
    p.add_argument("--sndbuf-kib", type=int, default=128, help="socket send buffer per connection")
    p.add_argument("--log", required=True)
    a = p.parse_args()
    server = Server((a.bind, a.port), Origin)
    server.root = a.root
    server.delay = a.delay_ms / 1000.0
    server.sndbuf = a.sndbuf_kib * 1024
    server.log = open(a.log, "a")
    server.log_lock = threading.Lock()
    server.serve_forever()


if __name__ == "__main__":
    main()
