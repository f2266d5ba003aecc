package io.roster.it;

import static io.roster.it.DiffRequest.delete;
import static io.roster.it.DiffRequest.get;
import static io.roster.it.DiffRequest.head;
import static io.roster.it.DiffRequest.of;
import static io.roster.it.DiffRequest.post;
import static io.roster.it.DiffRequest.put;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Differential compatibility, request handling: the §3.3 validation-order table (which parameter
 * error wins), the less common keys options (noValueOnSuccess, in-order keys, listings) and the
 * endpoints besides {@code /v2/keys} (OPTIONS, 405, 404, members, version, health, stats, auth),
 * each sent to real etcd 3.4.23 and to the server under test through one {@link Differ}.
 */
@ExtendWith(DumpLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DifferentialRequestsIT {
  @RegisterExtension static final DiffServers servers = new DiffServers("diff-requests");

  private final Differ d = servers.differ();

  @Test
  @Order(3)
  void validation_3_3() {
    d.rebase("§3.3 validation order");
    d.send(put("/v33/k", "value=base"));
    d.sendAll(
        // row 1: form parse errors, in body and in query
        put("/v33/k", "value=%zz"),
        put("/v33/k?value=%zz", "value=ok"),
        of("GET", "/v2/keys/v33/k?a=%zz"),
        of("DELETE", "/v2/keys/v33/k?a=%zz"),
        // row 2, 3: prevIndex then waitIndex
        put("/v33/k?prevIndex=x&waitIndex=y&recursive=z", "value=v"),
        put("/v33/k?prevIndex=-1", "value=v"),
        put("/v33/k?prevIndex=%2B5", "value=v"),
        put("/v33/k?prevIndex=1.5", "value=v"),
        get("/v33/k?waitIndex=y&recursive=z"),
        get("/v33/k?wait=true&waitIndex=-1"),
        // rows 4-9: booleans, in order
        get("/v33/k?recursive=z&sorted=z&wait=z"),
        get("/v33/k?sorted=z&wait=z&dir=z"),
        get("/v33/k?wait=z&dir=z&quorum=z"),
        get("/v33/k?dir=z&quorum=z&stream=z"),
        get("/v33/k?quorum=z&stream=z"),
        get("/v33/k?stream=z"),
        get("/v33/k?recursive=tRue"),
        get("/v33/k?recursive=T&sorted=FALSE&quorum=0&dir=F&stream=f"),
        // row 10: wait with non-GET
        put("/v33/k?wait=true", "value=v"),
        post("/v33/k?wait=true", "value=v"),
        delete("/v33/k?wait=true"),
        head("/v33/k?wait=true"),
        put("/v33/k?wait=false", "value=w"),
        // row 11: empty prevValue
        put("/v33/k?prevValue=", "value=v"),
        delete("/v33/k?prevValue="),
        // row 12: noValueOnSuccess
        put("/v33/k?noValueOnSuccess=maybe", "value=v"),
        put("/v33/k?noValueOnSuccess=true&prevValue=", "value=v"),
        // row 13: ttl
        put("/v33/k", "value=v&ttl=abc"),
        put("/v33/k", "value=v&ttl=-1"),
        put("/v33/k", "value=v&ttl=1.5"),
        put("/v33/k?ttl=abc&prevExist=zz", "value=v"),
        // row 14: prevExist
        put("/v33/k?prevExist=", "value=v"),
        put("/v33/k?prevExist=yes&refresh=zz", "value=v"),
        // row 15: refresh
        put("/v33/k?refresh=zz", "value=v"),
        // row 16, 17
        put("/v33/k?refresh=true", "value=v&ttl=5000"),
        put("/v33/k?refresh=true", ""),
        put("/v33/k?refresh=true", "ttl="),
        put("/v33/k?refresh=true", "value=&ttl=10000"),
        get("/v33/k"));
    d.assertNoMismatch();
  }

  @Test
  @Order(4)
  void noValueOnSuccess_and_misc_keys_operations() {
    d.rebase("noValueOnSuccess, in-order keys, not-a-directory, first missing prefix");
    d.sendAll(
        put("/nv/k?noValueOnSuccess=true", "value=a"),
        put("/nv/k?noValueOnSuccess=true&prevExist=true", "value=b"),
        put("/nv/k?noValueOnSuccess=true&prevValue=b", "value=c"),
        put("/nv/k2?noValueOnSuccess=true&prevExist=false", "value=c"),
        post("/nv/q?noValueOnSuccess=true", "value=c"),
        delete("/nv/k2?noValueOnSuccess=true"),
        get("/nv/k?noValueOnSuccess=true"),
        post("/nv/queue", "value=Job1"),
        put("/nv/other", "value=x"),
        post("/nv/queue", "value=Job2"),
        post("/nv/queue", ""),
        post("/nv/queue", "dir=true"),
        post("/nv/queue", "value=t&ttl=1000"),
        get("/nv/queue?sorted=true"),
        get("/nv/queue?sorted=true&recursive=true"),
        get("/nv/queue"),
        post("/nv/other", "value=under-a-file"),
        put("/nv/other/x", "value=1"),
        get("/nv/other/x/y"),
        delete("/nv/other/x"),
        get("/missing1/b/c"),
        get("/nv/missing2/c"),
        delete("/missing3"),
        put("/nv/tree/a/b/c", "value=deep"),
        put("/nv/tree/a/x", "value=1"),
        put("/nv/tree/y", "value=2&ttl=1000"),
        put("/nv/tree/_hidden", "value=h"),
        get("/nv/tree"),
        get("/nv/tree?recursive=true"),
        get("/nv/tree?recursive=true&sorted=true"),
        get("/nv/tree/a/b/c?recursive=true"),
        head("/nv/tree/a/b/c"),
        head("/nv/none"),
        put("/nv/tree/a/b/c?dir=true", ""),
        delete("/nv/tree/a/b/c?dir=true"),
        delete("/nv/tree/a?dir=true"),
        delete("/nv/tree/y?dir=true"),
        delete("/nv/tree/a/x?recursive=true"),
        put("/nv/tdir", "dir=true&ttl=1000"),
        get("/nv/tdir"),
        put("/nv/tdir/child", "value=c"),
        get("/nv/tdir?recursive=true"),
        delete("/nv?recursive=true"),
        get("/nv"));
    d.assertNoMismatch();
  }

  @Test
  @Order(5)
  void other_endpoints() {
    d.rebase("other endpoints: OPTIONS, 405, 404, members, version, health, stats, auth");
    d.sendAll(
        of("OPTIONS", "/v2/keys/x"),
        of("OPTIONS", "/anything"),
        of("PATCH", "/v2/keys/x"),
        of("TRACE", "/v2/keys/"),
        of("GET", "/v2/leader"),
        of("GET", "/v2/keysfoo"),
        of("GET", "/nope"),
        of("GET", "/version"),
        of("POST", "/version"),
        of("GET", "/health"),
        of("GET", "/v2/members"),
        of("GET", "/v2/members/"),
        of("GET", "/v2/members/leader"),
        of("GET", "/v2/members/xyz"),
        of("PUT", "/v2/members"),
        of("GET", "/v2/machines"),
        of("GET", "/v2/machines/"),
        of("GET", "/v2/stats/self").shapeOnly(),
        of("GET", "/v2/stats/leader").shapeOnly(),
        of("GET", "/v2/stats/store").shapeOnly(),
        of("PUT", "/v2/stats/store"),
        new DiffRequest(
            "POST", "/v2/members", "{\"peerURLs\":[\"notaurl\"]}", "application/json", null, false),
        new DiffRequest(
            "POST", "/v2/members", "peerURLs=x", "application/x-www-form-urlencoded", null, false));
    d.assertNoMismatch();
  }
}
