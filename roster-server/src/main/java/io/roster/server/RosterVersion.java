package io.roster.server;

/** Roster's own version, and the etcd versions Roster answers as on {@code /version}. */
public final class RosterVersion {
  /** This build's version, from the jar manifest (the Maven project version). */
  public static final String VERSION = read();

  /** The etcd server version whose v2 API Roster reproduces; etcd clients branch on it. */
  public static final String ETCD_SERVER = "3.4.23";

  /** The etcd cluster version reported with it. */
  public static final String ETCD_CLUSTER = "3.4.0";

  private RosterVersion() {}

  private static String read() {
    String v = RosterVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
