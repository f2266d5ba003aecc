package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;
import static io.roster.store.StoreFixtures.json;
import static io.roster.store.StoreFixtures.setFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoreSnapshotTest {

  private static Store populated() {
    Store s = Store.create();
    setFile(s, "/a/b", "v");
    setFile(s, "/a/_hidden", "h");
    setFile(s, "/empty", "");
    s.set("/ttl", false, "t", 30L, false, NOW);
    s.set("/dir", true, "", 60L, false, NOW);
    setFile(s, "/dir/中/😀", "<&>\n");
    s.create("/q", false, "job", true, null, NOW);
    s.update("/a/b", "", 10L, true, NOW);
    s.delete("/empty", false, false, NOW);
    return s;
  }

  @Test
  void saveRestoreSave_identicalBytes() throws IOException {
    Store s = populated();
    byte[] first = s.saveToBytes();
    Store restored = Store.restore(first);
    assertThat(restored.saveToBytes()).isEqualTo(first);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    restored.save(out);
    assertThat(out.toByteArray()).isEqualTo(first);
  }

  @Test
  void emptyStore_roundTrip() throws IOException {
    Store restored = Store.restore(Store.create().saveToBytes());
    assertThat(restored.currentIndex()).isZero();
    assertThat(json(restored.get("/", true, false, NOW)))
        .isEqualTo("{\"action\":\"get\",\"node\":{\"dir\":true}}");
  }

  @Test
  void restored_sameTreeIndexAndExpirations() throws IOException {
    Store s = populated();
    Store r = Store.restore(s.saveToBytes());
    assertThat(r.currentIndex()).isEqualTo(s.currentIndex());
    assertThat(json(r.get("/", true, true, NOW + SECOND)))
        .isEqualTo(json(s.get("/", true, true, NOW + SECOND)));
    assertThat(json(r.get("/a/_hidden", false, false, NOW)))
        .isEqualTo(json(s.get("/a/_hidden", false, false, NOW)));
    assertThat(r.nextExpiration()).isEqualTo(s.nextExpiration());
    assertThat(r.deleteExpired(NOW + 100 * SECOND))
        .extracting(StoreFixtures::body)
        .isEqualTo(s.deleteExpired(NOW + 100 * SECOND).stream().map(StoreFixtures::body).toList());
  }

  @Test
  void restored_continuesIndicesAndHistory() throws IOException {
    Store s = populated();
    long index = s.currentIndex();
    Store r = Store.restore(s.saveToBytes());
    assertThat(setFile(r, "/new", "x").index()).isEqualTo(index + 1);
    RecordingSink fromHistory = new RecordingSink();
    r.watch("/a", true, true, 1, fromHistory);
    RecordingSink original = new RecordingSink();
    s.watch("/a", true, true, 1, original);
    assertThat(fromHistory.summary()).isEqualTo(original.summary()).isNotEmpty();
    for (int i = 0; i < original.events().size(); i++) {
      Event a = fromHistory.events().get(i);
      Event b = original.events().get(i);
      assertThat(a.body()).isEqualTo(b.body());
      assertThat(a.refresh()).isEqualTo(b.refresh());
      assertThat(a.httpStatus()).isEqualTo(b.httpStatus());
      assertThat(a.dir()).isEqualTo(b.dir());
    }
  }

  @Test
  void restored_refreshStillSkippedInHistory() throws IOException {
    Store s = Store.create();
    setFile(s, "/k", "v");
    s.update("/k", "", 5L, true, NOW);
    Store r = Store.restore(s.saveToBytes());
    RecordingSink sink = new RecordingSink();
    r.watch("/k", false, false, 2, sink);
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void restored_historyWindowKept() throws IOException {
    Store s = Store.create();
    for (int i = 0; i < 1100; i++) {
      setFile(s, "/k", Integer.toString(i));
    }
    Store r = Store.restore(s.saveToBytes());
    assertThat(json((StoreError) r.watch("/k", false, false, 100, e -> true)))
        .contains("[101/100]");
    RecordingSink sink = new RecordingSink();
    r.watch("/k", false, false, 101, sink);
    assertThat(StoreFixtures.body(sink.events().get(0))).contains("\"value\":\"100\"");
  }

  @Test
  void restore_readsExactlyOneSnapshotFromAStream() throws IOException {
    byte[] one = populated().saveToBytes();
    byte[] two = Store.create().saveToBytes();
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(one);
    both.write(two);
    ByteArrayInputStream in = new ByteArrayInputStream(both.toByteArray());
    assertThat(Store.restore(in).saveToBytes()).isEqualTo(one);
    assertThat(Store.restore(in).saveToBytes()).isEqualTo(two);
  }

  @Test
  void restore_trailingBytesInArrayRejected() {
    byte[] one = Store.create().saveToBytes();
    byte[] longer = java.util.Arrays.copyOf(one, one.length + 1);
    assertThatThrownBy(() -> Store.restore(longer)).isInstanceOf(IOException.class);
  }

  @Test
  void restore_emptyOrGarbageRejected() {
    assertThatThrownBy(() -> Store.restore(new byte[0])).isInstanceOf(IOException.class);
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      assertThatThrownBy(() -> Store.restore(garbage)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void restore_unknownVersionRejected() throws IOException {
    byte[] bytes = Store.create().saveToBytes();
    bytes[7] = 2;
    assertThatThrownBy(() -> Store.restore(bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void restore_everyTruncationRejected() {
    byte[] bytes = populated().saveToBytes();
    for (int len = 0; len < bytes.length; len++) {
      byte[] prefix = java.util.Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> Store.restore(prefix)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void restore_everySingleByteCorruptionRejected() {
    byte[] bytes = populated().saveToBytes();
    for (int i = 0; i < bytes.length; i++) {
      byte[] copy = bytes.clone();
      copy[i] ^= 0x5a;
      assertThatThrownBy(() -> Store.restore(copy)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void restore_hostileLengthDoesNotAllocate() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeInt(SnapshotFormat.MAGIC);
    out.writeInt(SnapshotFormat.VERSION);
    out.writeLong(5);
    out.writeInt(1);
    out.writeInt(SnapshotFormat.MAX_BYTES);
    out.write("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Store.restore(b.toByteArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    DataOutputStream out2 = new DataOutputStream(c);
    out2.writeInt(SnapshotFormat.MAGIC);
    out2.writeInt(SnapshotFormat.VERSION);
    out2.writeLong(5);
    out2.writeInt(1);
    out2.writeInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> Store.restore(c.toByteArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad length");
  }

  @Test
  void restore_invalidContentRejected() throws IOException {
    assertThat(json(Store.restore(snapshotWithChildName("a")).get("/a", false, false, NOW)))
        .isEqualTo(
            "{\"action\":\"get\",\"node\":{\"key\":\"/a\",\"value\":\"\","
                + "\"modifiedIndex\":1,\"createdIndex\":1}}");
    assertThatThrownBy(() -> Store.restore(snapshotWithChildName("a/b")))
        .hasMessageContaining("bad name");
    assertThatThrownBy(() -> Store.restore(snapshotWithChildName("..")))
        .hasMessageContaining("bad name");
    assertThatThrownBy(() -> Store.restore(snapshotWithChildName("")))
        .hasMessageContaining("bad name");
  }

  private static byte[] snapshotWithChildName(String name) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    DataOutputStream out = new DataOutputStream(new java.util.zip.CheckedOutputStream(b, crc));
    out.writeInt(SnapshotFormat.MAGIC);
    out.writeInt(SnapshotFormat.VERSION);
    out.writeLong(1);
    out.writeInt(1);
    byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(n.length);
    out.write(n);
    out.writeByte(0);
    out.writeLong(1);
    out.writeLong(1);
    out.writeInt(0);
    out.writeInt(0);
    out.flush();
    new DataOutputStream(b).writeInt((int) crc.getValue());
    return b.toByteArray();
  }

  @Test
  void save_writeFailurePropagates() {
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }
        };
    assertThatThrownBy(() -> populated().save(failing)).hasMessage("disk full");
  }

  @Test
  void restoredStore_hasFreshCountersAndNoWatchers() throws IOException {
    Store s = populated();
    s.watch("/x", false, false, 0, e -> true);
    Store r = Store.restore(s.saveToBytes());
    assertThat(r.stats()).isEqualTo(new StoreStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  }
}
