package io.p2pdl.e2e.support;

import io.p2pdl.fetch.testorigin.TestOrigin;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Base of the end-to-end tests: one test origin per class, and per test a fresh directory and a
 * {@link Services} whose child processes are all killed afterwards. Every test ends within two
 * minutes even when something hangs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProcessTest {

    /** The test origin, shared by the tests of a class (paths tell their files apart). */
    protected static TestOrigin origin;
    /** This test's own directory under target/e2e. */
    protected Path dir;
    /** Starts the services; kills them after the test. */
    protected Services services;

    @BeforeAll
    static void startOrigin() {
        origin = TestOrigin.start();
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    @BeforeEach
    void startServices(TestInfo test) {
        dir = TestDirs.fresh(test);
        services = new Services(dir);
    }

    @AfterEach
    void stopServices() {
        services.close();
    }
}
