package io.p2pdl.helm;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Restricted Pod Security Standard (the parts a chart decides), plus our own rule of a
 * read-only root filesystem with an emptyDir at /tmp.
 */
final class Restricted {

    private Restricted() {
    }

    static void assertMet(PodSpec pod, String where) {
        PodSecurityContext podContext = pod.getSecurityContext();
        assertNotNull(podContext, where + ": pod securityContext");
        assertEquals(Boolean.TRUE, podContext.getRunAsNonRoot(), where + ": runAsNonRoot");
        assertNotEquals(Long.valueOf(0), podContext.getRunAsUser(), where + ": runAsUser 0");
        assertNotNull(podContext.getSeccompProfile(), where + ": seccompProfile");
        assertEquals("RuntimeDefault", podContext.getSeccompProfile().getType(), where + ": seccompProfile");
        assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC()), where + ": host namespaces");
        if (pod.getVolumes() != null) {
            for (Volume volume : pod.getVolumes()) {
                assertEquals(null, volume.getHostPath(), where + ": hostPath volume " + volume.getName());
            }
        }
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container container : containers) {
            String at = where + " container " + container.getName();
            SecurityContext context = container.getSecurityContext();
            assertNotNull(context, at + ": securityContext");
            assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(), at + ": allowPrivilegeEscalation");
            assertFalse(Boolean.TRUE.equals(context.getPrivileged()), at + ": privileged");
            assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem(), at + ": readOnlyRootFilesystem");
            assertNotEquals(Long.valueOf(0), context.getRunAsUser(), at + ": runAsUser 0");
            Capabilities capabilities = context.getCapabilities();
            assertNotNull(capabilities, at + ": capabilities");
            assertTrue(capabilities.getDrop().contains("ALL"), at + ": drop ALL");
            assertTrue(capabilities.getAdd() == null || capabilities.getAdd().isEmpty(), at + ": added capabilities");
            if (context.getSeccompProfile() != null) {
                assertEquals("RuntimeDefault", context.getSeccompProfile().getType(), at);
            }
            String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                    .map(m -> m.getName()).findFirst().orElseThrow(() -> new AssertionError(at + ": no /tmp mount"));
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals(tmpVolume) && v.getEmptyDir() != null),
                    at + ": /tmp is an emptyDir");
        }
    }
}
