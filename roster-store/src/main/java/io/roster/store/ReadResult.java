package io.roster.store;

/**
 * A successful {@code get}: the rendered {@code {"action":"get","node":…}} body and the store index
 * at the time of the read.
 */
public record ReadResult(long index, byte[] body) implements Outcome {
  @Override
  public int httpStatus() {
    return 200;
  }
}
