package io.roster.it.fault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Which local process owns a loopback TCP connection, from {@code /proc}: {@code /proc/net/tcp} and
 * {@code tcp6} map a connection's ports to its socket inode, and {@code /proc/<pid>/fd/*} links
 * name the inodes a process holds ({@code socket:[inode]}). Linux only; needs the processes to
 * belong to the same user. Stateless and thread-safe.
 */
final class SocketOwners {
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private SocketOwners() {}

  /**
   * The inode of the socket whose local port is {@code localPort} and remote port {@code
   * remotePort}: the connecting end of a connection accepted on {@code remotePort}.
   */
  static OptionalLong inode(int localPort, int remotePort) {
    for (Path table : TABLES) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        continue;
      }
      for (int i = 1; i < lines.size(); i++) {
        List<String> f = WHITESPACE.splitAsStream(lines.get(i).trim()).toList();
        if (f.size() < 10) {
          continue;
        }
        if (port(f.get(1)) == localPort && port(f.get(2)) == remotePort) {
          long inode = Long.parseLong(f.get(9));
          if (inode != 0) {
            return OptionalLong.of(inode);
          }
        }
      }
    }
    return OptionalLong.empty();
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
  }

  /** The name (a key of {@code pids}) of the process holding socket {@code inode}. */
  static Optional<String> owner(long inode, Map<String, Long> pids) {
    String link = "socket:[" + inode + "]";
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      Path fds = Path.of("/proc", Long.toString(e.getValue()), "fd");
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
        for (Path fd : dir) {
          try {
            if (Files.readSymbolicLink(fd).toString().equals(link)) {
              return Optional.of(e.getKey());
            }
          } catch (IOException gone) {
            // closed while we looked
          }
        }
      } catch (IOException processGone) {
        // the process exited
      }
    }
    return Optional.empty();
  }

  /**
   * The name of the process that opened the connection from 127.0.0.1:{@code sourcePort} to {@code
   * acceptingPort}, retrying briefly while the kernel's tables catch up.
   */
  static Optional<String> connectingProcess(
      int sourcePort, int acceptingPort, Map<String, Long> pids) {
    for (int attempt = 0; attempt < 5; attempt++) {
      OptionalLong inode = inode(sourcePort, acceptingPort);
      if (inode.isPresent()) {
        Optional<String> owner = owner(inode.getAsLong(), pids);
        if (owner.isPresent()) {
          return owner;
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Optional.empty();
  }
}
