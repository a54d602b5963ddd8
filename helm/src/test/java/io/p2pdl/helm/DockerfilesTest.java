package io.p2pdl.helm;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The images (which cannot be built here: no container engine) agree with what the chart
 * expects of them: the user the pods run as, the ports they probe, the layout they start.
 */
class DockerfilesTest {

    static final Path ROOT = HelmChart.SOURCE.getParent().getParent();

    static String dockerfile(String module) {
        return HelmChart.readString(ROOT.resolve(module).resolve("src/main/docker/Dockerfile.jvm"));
    }

    @Test
    void everyImageRunsAsTheUserThePodsRunAsAndShipsTheQuarkusFastJar() {
        Long podUser = HelmChart.template("default").one(StatefulSet.class)
                .getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
        for (String module : List.of("coordinator", "worker", "cli")) {
            String text = dockerfile(module);
            List<String> users = text.lines().filter(l -> l.startsWith("USER ")).toList();
            assertEquals("USER " + podUser, users.get(users.size() - 1), module + ": the last USER wins");
            assertTrue(text.lines().anyMatch(l -> l.startsWith("FROM registry.access.redhat.com/ubi9/openjdk-17")), module);
            for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
                assertTrue(text.contains("COPY --chown=185 target/quarkus-app/" + part), module + " copies " + part);
            }
            // Workers move bytes in native copies: C1 only costs less CPU than C2 compiling; the coordinator
            // compiles only really hot code with C2, like the launcher (docs/benchmarks.md).
            String jit = switch (module) {
                case "worker" -> "-XX:TieredStopAtLevel=1 ";
                case "coordinator" -> "-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 "
                        + "-XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000 ";
                default -> "";
            };
            assertTrue(text.contains("ENV JAVA_OPTS_APPEND=\"-XX:+UseSerialGC " + jit + "-XX:MaxRAMPercentage=75 "
                    + "-Djava.util.logging.manager=org.jboss.logmanager.LogManager\""), module);
        }
    }

    /** The ports of the image's EXPOSE lines. */
    static Set<Integer> exposed(String module) {
        return dockerfile(module).lines().filter(l -> l.startsWith("EXPOSE "))
                .flatMap(l -> Arrays.stream(l.substring("EXPOSE ".length()).trim().split("\\s+")))
                .map(Integer::valueOf).collect(Collectors.toSet());
    }

    static Set<Integer> containerPorts(PodSpec pod) {
        return pod.getContainers().get(0).getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet());
    }

    @Test
    void serviceImagesExposeEveryPortTheChartDeclares() {
        Rendered rendered = HelmChart.template("default");
        Set<Integer> coordinator = containerPorts(rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec());
        assertEquals(Set.of(7400, 7402), coordinator, "gRPC, and health and metrics");
        assertEquals(coordinator, exposed("coordinator"));
        assertEquals(containerPorts(rendered.one(Deployment.class).getSpec().getTemplate().getSpec()), exposed("worker"));
        assertFalse(dockerfile("cli").contains("EXPOSE"), "the CLI never listens");
        for (String module : List.of("coordinator", "worker")) {
            assertTrue(dockerfile(module).contains("ENV JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""), module);
        }
    }

    @Test
    void cliImageEntrypointIsTheCliSoPodArgsAreItsArguments() {
        String text = dockerfile("cli");
        assertTrue(text.contains("ENTRYPOINT [ \"/usr/local/bin/p2pdl\" ]"), text);
        assertTrue(text.contains("-jar /deployments/quarkus-run.jar \"$@\""), text);
    }
}
