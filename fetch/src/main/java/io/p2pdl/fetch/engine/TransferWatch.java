package io.p2pdl.fetch.engine;

/**
 * What a {@link ChunkSink} may ask about the fetch feeding it while it waits: whether the fetch
 * was aborted (stop, idle timeout), and a way to record progress so waiting on a slow coordinator
 * is not mistaken for an idle origin.
 */
public interface TransferWatch {

    /** Whether the fetch was aborted from outside; a waiting sink gives up then. */
    boolean aborted();

    /** Records that bytes moved, postponing the idle timeout. */
    void touch();
}
