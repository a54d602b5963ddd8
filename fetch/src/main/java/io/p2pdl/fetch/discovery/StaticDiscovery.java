package io.p2pdl.fetch.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/** A fixed list of coordinators, from configuration or command-line flags. */
public final class StaticDiscovery implements CoordinatorDiscovery {

    private final List<CoordinatorTarget> targets;

    /** Duplicates are dropped so no coordinator gets a double share of the round-robin. */
    public StaticDiscovery(Collection<CoordinatorTarget> targets) {
        this.targets = List.copyOf(new LinkedHashSet<>(targets));
    }

    /** Parses each {@code host:port}; blank entries are skipped. */
    public static StaticDiscovery of(Collection<String> hostPorts) {
        List<CoordinatorTarget> parsed = new ArrayList<>();
        for (String hp : hostPorts) {
            if (hp != null && !hp.isBlank()) {
                parsed.add(CoordinatorTarget.parse(hp));
            }
        }
        return new StaticDiscovery(parsed);
    }

    @Override
    public List<CoordinatorTarget> coordinators() {
        return targets;
    }
}
