package io.p2pdl.helm;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token Secret: generated on install, kept on upgrade through {@code lookup}, or not made
 * at all with {@code auth.existingSecret}. The fake {@link ApiServer} plays the cluster, so
 * both branches of the lookup run for real in Helm; what is not exercised is a real API
 * server's answer format beyond a plain GET of a Secret.
 */
class AuthSecretTest {

    static final String SECRET = "rel-p2pdl-token";

    @BeforeEach
    void noSecretInTheCluster() {
        ApiServer.start();
        ApiServer.clear();
    }

    @Test
    void firstInstallGeneratesTwoDifferentFortyCharacterTokens() {
        Secret secret = HelmChart.template(HelmChart.scenario("default")).named(Secret.class, SECRET);
        String worker = decode(secret, "worker-token");
        String admin = decode(secret, "admin-token");
        assertTrue(worker.matches("[A-Za-z0-9]{40}"), worker);
        assertTrue(admin.matches("[A-Za-z0-9]{40}"), admin);
        assertNotEquals(worker, admin);
        assertTrue(ApiServer.requests().contains(ApiServer.secretPath(HelmChart.NAMESPACE, SECRET)),
                "the render looked the Secret up: " + ApiServer.requests());
    }

    @Test
    void upgradeKeepsTheTokensOfTheLiveSecretRenderAfterRender() {
        Secret installed = HelmChart.template(HelmChart.scenario("default")).named(Secret.class, SECRET);
        ApiServer.put(installed);

        Secret upgrade1 = HelmChart.template(HelmChart.scenario("default")).named(Secret.class, SECRET);
        Secret upgrade2 = HelmChart.template(HelmChart.scenario("default")).named(Secret.class, SECRET);

        assertEquals(installed.getData(), upgrade1.getData());
        assertEquals(upgrade1.getData(), upgrade2.getData());
    }

    @Test
    void aLiveSecretMissingAKeyKeepsTheOtherAndGetsTheMissingOneGenerated() {
        ApiServer.put(new SecretBuilder()
                .withNewMetadata().withName(SECRET).withNamespace(HelmChart.NAMESPACE).endMetadata()
                .withData(Map.of("worker-token", encode("w".repeat(40))))
                .build());

        Secret upgraded = HelmChart.template(HelmChart.scenario("default")).named(Secret.class, SECRET);

        assertEquals("w".repeat(40), decode(upgraded, "worker-token"));
        assertTrue(decode(upgraded, "admin-token").matches("[A-Za-z0-9]{40}"));
    }

    @Test
    void withoutALiveSecretEveryRenderGeneratesNewTokens() {
        // What `helm template` users see: no cluster, so no memory between renders.
        Secret first = HelmChart.template(HelmChart.scenario("default")).named(Secret.class, SECRET);
        Secret second = HelmChart.template(HelmChart.scenario("default")).named(Secret.class, SECRET);
        assertNotEquals(first.getData(), second.getData());
    }

    @Test
    void existingSecretCreatesNoSecretAndPodsReadTheirTokensFromIt() {
        Rendered rendered = HelmChart.template(HelmChart.scenario("default"), Map.of("auth.existingSecret", "mine"));

        assertTrue(rendered.all(Secret.class).isEmpty());
        assertTrue(ApiServer.requests().stream().noneMatch(p -> p.contains("/secrets/")), "no lookup needed");
        var coordinator = rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        ChartScenariosTest.assertSecretKey(ChartScenariosTest.env(coordinator, "P2PDL_ADMIN_TOKEN"), "mine", "admin-token");
        ChartScenariosTest.assertSecretKey(ChartScenariosTest.env(coordinator, "P2PDL_WORKER_TOKEN"), "mine", "worker-token");
        var worker = ChartScenariosTest.workerTemplate(rendered).getSpec().getContainers().get(0);
        ChartScenariosTest.assertSecretKey(ChartScenariosTest.env(worker, "P2PDL_WORKER_TOKEN"), "mine", "worker-token");
    }

    @Test
    void secretTemplateLooksUpItsOwnNameInTheReleaseNamespace() {
        // The branch the fake API server drives must be the one the chart ships.
        String template = HelmChart.readString(HelmChart.SOURCE.resolve("templates/secret.yaml"));
        assertTrue(template.contains(
                "lookup \"v1\" \"Secret\" .Release.Namespace (include \"p2pdl.auth.secretName\" .)"), template);
        assertTrue(template.contains("include \"p2pdl.auth.secretData\" (dict \"existing\" $existing)"), template);
    }

    static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
