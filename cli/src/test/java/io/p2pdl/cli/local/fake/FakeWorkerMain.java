package io.p2pdl.cli.local.fake;

/** Stands in for the worker jar in {@code get} tests: logs its arguments and idles until SIGTERM. */
public final class FakeWorkerMain {

    public static void main(String[] argv) throws InterruptedException {
        System.out.println("fake worker args: " + String.join(" ", argv));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("fake worker stopping on SIGTERM")));
        Thread.sleep(Long.MAX_VALUE);
    }
}
