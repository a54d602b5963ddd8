package io.p2pdl.e2e.support;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux network namespace joined to this host by a veth pair on a private /30 that no interface
 * uses yet: the host side gets {@code .1}, the namespace side {@code .2}. Cutting the link is
 * {@code ip link set <host side> down}. Root only (see {@link RootOnly}); {@link #close()} deletes
 * the namespace and with it the veth pair.
 */
public final class NetNs implements AutoCloseable {

    private static final String PREFIX = "p2pdl-e2e-";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final String hostLink;
    private final String subnet;

    private NetNs(String name, String hostLink, String subnet) {
        this.name = name;
        this.hostLink = hostLink;
        this.subnet = subnet;
    }

    /** Creates a namespace with a unique name and a veth link to the host; cleans up if that fails. */
    public static NetNs create() {
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        int n = COUNTER.incrementAndGet();
        // Interface names have at most 15 characters; the namespace's name carries the whole pid.
        NetNs ns = new NetNs(PREFIX + pid + "-" + n, "p2h" + pid % 100_000 + "x" + n, freeSubnet());
        String nsLink = "p2n" + pid % 100_000 + "x" + n;
        try {
            RootOnly.run("ip", "netns", "add", ns.name);
            RootOnly.run("ip", "link", "add", ns.hostLink, "type", "veth", "peer", "name", nsLink);
            RootOnly.run("ip", "link", "set", nsLink, "netns", ns.name);
            RootOnly.run("ip", "addr", "add", ns.hostAddress() + "/30", "dev", ns.hostLink);
            RootOnly.run("ip", "link", "set", ns.hostLink, "up");
            ns.exec("ip", "addr", "add", ns.nsAddress() + "/30", "dev", nsLink);
            ns.exec("ip", "link", "set", nsLink, "up");
            ns.exec("ip", "link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
    }

    /** Deletes namespaces left by test JVMs that died before their cleanup (their pid is gone). */
    private static void removeLeftovers() {
        for (String line : RootOnly.run("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = name.substring(PREFIX.length()).split("-");
            try {
                if (ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
                    RootOnly.runQuietly("ip", "netns", "del", name);
                }
            } catch (NumberFormatException e) {
                // Not one of ours after all.
            }
        }
    }

    /** A 10.x.y.0/30 whose 10.x.y. prefix appears on no interface of this host. */
    private static String freeSubnet() {
        String addrs = RootOnly.run("ip", "-4", "-o", "addr");
        for (int i = 0; i < 100; i++) {
            String prefix = "10." + (200 + ThreadLocalRandom.current().nextInt(50)) + "."
                    + ThreadLocalRandom.current().nextInt(256) + ".";
            if (!addrs.contains(" " + prefix)) {
                return prefix;
            }
        }
        throw new AssertionError("no free 10.x.y.0/30 subnet found for a test namespace");
    }

    /** The namespace's name. */
    public String name() {
        return name;
    }

    /** The host's end of the link. */
    public String hostAddress() {
        return subnet + "1";
    }

    /** The namespace's end of the link. */
    public String nsAddress() {
        return subnet + "2";
    }

    /** The command prefix that runs a program inside the namespace. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Runs {@code command} inside the namespace. */
    public String exec(String... command) {
        String[] full = new String[command.length + 4];
        System.arraycopy(prefix().toArray(new String[0]), 0, full, 0, 4);
        System.arraycopy(command, 0, full, 4, command.length);
        return RootOnly.run(full);
    }

    /** Cuts the link: packets between host and namespace are dropped until {@link #linkUp()}. */
    public void linkDown() {
        RootOnly.run("ip", "link", "set", hostLink, "down");
    }

    /** Restores the link. */
    public void linkUp() {
        RootOnly.run("ip", "link", "set", hostLink, "up");
    }

    /** Deletes the namespace (which takes the veth pair along); never throws. */
    @Override
    public void close() {
        RootOnly.runQuietly("ip", "netns", "del", name);
        RootOnly.runQuietly("ip", "link", "del", hostLink);
    }
}
