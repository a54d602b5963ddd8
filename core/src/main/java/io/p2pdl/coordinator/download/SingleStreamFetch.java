package io.p2pdl.coordinator.download;

import io.p2pdl.coordinator.probe.OriginProber;
import io.p2pdl.coordinator.probe.ProbeException;
import io.p2pdl.coordinator.probe.RedirectingClient;
import io.p2pdl.fetch.origin.Validators;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.Header;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Fetches a whole file in one stream, for origins that do not serve ranges or do not tell the size.
 * The coordinator does this itself: with one stream there is nothing to spread over workers. An
 * interrupted stream restarts from byte 0 (up to {@code attempts} times); a body shorter than the
 * announced length, or with other validators than the probe saw, is never accepted.
 */
final class SingleStreamFetch implements Runnable {

    private static final Logger LOG = Logger.getLogger(SingleStreamFetch.class);

    private final DownloadService service;
    private final DownloadRecord record;
    private final RedirectingClient client;
    private final List<Header> headers;
    private final int attempts;
    private volatile boolean stopped;
    private volatile InputStream body;

    SingleStreamFetch(DownloadService service, DownloadRecord record, RedirectingClient client, List<Header> headers,
            int attempts) {
        this.service = service;
        this.record = record;
        this.client = client;
        this.headers = headers;
        this.attempts = attempts;
    }

    /** Stops the stream (pause, cancel, shutdown); the partial file is worthless afterwards. */
    void stop() {
        stopped = true;
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing aborts the connection, which is the point.
            }
        }
    }

    @Override
    public void run() {
        String lastProblem = "";
        Duration backoff = Duration.ofSeconds(1);
        for (int attempt = 1; attempt <= attempts && !stopped; attempt++) {
            try {
                if (fetchOnce()) {
                    if (!stopped) {
                        service.singleStreamComplete(record);
                    }
                    return;
                }
                lastProblem = "stream ended after " + record.streamedBytes + " of " + record.created.getSizeBytes()
                        + " bytes";
            } catch (ProbeException e) {
                if (!e.isTransient()) {
                    service.fail(record, e.reason(), e.getMessage());
                    return;
                }
                lastProblem = e.getMessage();
            } catch (IOException e) {
                lastProblem = "connection failed after " + record.streamedBytes + " bytes: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (stopped) {
                return;
            }
            LOG.infof("download %s: single stream attempt %d failed (%s); restarting from byte 0", record.id, attempt,
                    lastProblem);
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2);
        }
        if (!stopped) {
            service.fail(record, FailureReason.TOO_MANY_ERRORS, "single stream failed " + attempts + " times; last: "
                    + lastProblem);
        }
    }

    /** One attempt; true when the whole body is on disk. */
    private boolean fetchOnce() throws IOException, ProbeException, InterruptedException {
        FileChannel ch = record.channel();
        if (ch == null) {
            return false;
        }
        ch.truncate(0);
        record.streamedBytes = 0;
        URI origin = DownloadService.originOf(record.created.getUrl());
        RedirectingClient.Answer answer = client.send("GET", URI.create(record.finalUrl()), origin, headers, Map.of());
        HttpResponse<InputStream> r = answer.response();
        body = r.body();
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw OriginProber.classify(r.statusCode(), r.headers(), answer.url());
            }
            if (!Validators.matches(record.created.getValidator(), r.headers())) {
                service.fail(record, FailureReason.ORIGIN_CHANGED, "origin now serves another version of the file");
                stopped = true;
                return false;
            }
            long expected = record.created.getSizeBytes();
            byte[] buf = new byte[256 * 1024];
            long pos = 0;
            int n;
            while (!stopped && (n = in.read(buf)) >= 0) {
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
                record.streamedBytes = pos;
                if (expected >= 0 && pos > expected) {
                    service.fail(record, FailureReason.ORIGIN_CHANGED, "origin sent more than the " + expected
                            + " bytes it announced");
                    stopped = true;
                    return false;
                }
            }
            return !stopped && (expected < 0 || pos == expected);
        } finally {
            body = null;
        }
    }
}
