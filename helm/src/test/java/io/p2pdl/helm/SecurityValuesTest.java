package io.p2pdl.helm;

import static io.p2pdl.helm.ChartScenariosTest.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code security.*}: one allow-list and one redaction list feed coordinators and workers alike. */
class SecurityValuesTest {

    private static Container coordinator(Rendered r) {
        return r.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Container worker(Rendered r) {
        return r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void allowedOriginCidrsAndRedactedParametersReachBothComponents() {
        Rendered r = HelmChart.template(null, Map.of(
                "security.allowedOriginCidrs[0]", "10.0.0.0/8",
                "security.allowedOriginCidrs[1]", "fd00::/8",
                "security.redactQueryParams[0]", "X-Custom-Auth"));
        assertEquals("10.0.0.0/8,fd00::/8", env(coordinator(r), "P2PDL_COORDINATOR_ORIGINS_ALLOWED_CIDRS").getValue());
        assertEquals("10.0.0.0/8,fd00::/8", env(worker(r), "P2PDL_WORKER_ORIGINS_ALLOWED_CIDRS").getValue());
        assertEquals("X-Custom-Auth", env(coordinator(r), "P2PDL_COORDINATOR_REDACT_QUERY_PARAMS").getValue());
        assertEquals("X-Custom-Auth", env(worker(r), "P2PDL_WORKER_REDACT_QUERY_PARAMS").getValue());
    }

    @Test
    void defaultsLeaveTheServicesStrictDefaults() {
        Rendered r = HelmChart.template(null, Map.of());
        for (Container c : new Container[] {coordinator(r), worker(r)}) {
            assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().endsWith("_ORIGINS_ALLOWED_CIDRS")
                    || e.getName().endsWith("_REDACT_QUERY_PARAMS")), c.getName() + ": " + c.getEnv());
        }
    }
}
