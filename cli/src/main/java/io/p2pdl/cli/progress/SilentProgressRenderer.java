package io.p2pdl.cli.progress;

import io.p2pdl.proto.v1.Download;

/** {@code --progress=none}: shows nothing; failures still reach stderr through the command. */
public final class SilentProgressRenderer implements ProgressRenderer {

    @Override
    public String update(long atMillis, Download snapshot) {
        return "";
    }

    @Override
    public String finish(long atMillis, Download last) {
        return "";
    }
}
