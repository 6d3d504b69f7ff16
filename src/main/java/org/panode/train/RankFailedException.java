package org.panode.train;

/**
 * A rank of a data-parallel run failed; every rank throws this, with the same message naming the
 * failed rank and its cause (the cause object itself only on that rank). All ranks know of it,
 * so they can end together (no MPI_Abort needed).
 */
public final class RankFailedException extends RuntimeException {
  private final int failedRank;

  RankFailedException(String message, int failedRank, Throwable localCause) {
    super(message, localCause);
    this.failedRank = failedRank;
  }

  /** The lowest rank that failed. */
  public int failedRank() {
    return failedRank;
  }
}
