package io.roster.api;

/** The actions of etcd v2 keys events, with their exact wire spellings. */
public enum Action {
  GET("get"),
  SET("set"),
  CREATE("create"),
  UPDATE("update"),
  DELETE("delete"),
  COMPARE_AND_SWAP("compareAndSwap"),
  COMPARE_AND_DELETE("compareAndDelete"),
  EXPIRE("expire");

  private final String wire;

  Action(String wire) {
    this.wire = wire;
  }

  /** The spelling used in the {@code action} field, e.g. {@code compareAndSwap}. */
  public String wire() {
    return wire;
  }
}
