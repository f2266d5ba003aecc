package io.roster.it;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real etcd 3.4.23 from Debian ({@code /usr/bin/etcd}) with the v2 API enabled. */
final class EtcdProcess extends ServerProcess {
  static final Path BINARY = Path.of(System.getProperty("roster.it.etcd", "/usr/bin/etcd"));

  EtcdProcess(String label, int clientPort) {
    super(ServerKind.ETCD, label, clientPort);
  }

  /** A member of a multi-member cluster (see {@link ServerProcess}). */
  EtcdProcess(String label, int clientPort, int peerPort, String name, String initialCluster) {
    super(ServerKind.ETCD, label, clientPort, peerPort, name, initialCluster);
  }

  @Override
  List<String> command() {
    if (!Files.isExecutable(BINARY)) {
      fail(
          "etcd is required for the compatibility tests but %s is missing: install Debian's"
              + " etcd-server package (bin/test does that)",
          BINARY);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.add("--enable-v2");
    cmd.addAll(commonFlags());
    return cmd;
  }
}
