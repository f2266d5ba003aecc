package io.roster.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A response body read as UTF-8 text, at most {@code limit} bytes. A longer body (a misbehaving or
 * hostile endpoint streaming without end) cancels the exchange and fails the response with an
 * {@link IOException}, so a bad endpoint costs bounded memory. Used for every keys-API answer and
 * watch poll. One instance per response; called by the HTTP client's threads in order.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
  private final long limit;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.@Nullable Subscription subscription;
  private boolean done;

  BoundedBody(long limit) {
    this.limit = limit;
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (done) {
      return;
    }
    for (ByteBuffer b : items) {
      if (buffer.size() + (long) b.remaining() > limit) {
        done = true;
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        result.completeExceptionally(
            new IOException("answer larger than " + limit + " bytes; not an etcd v2 answer"));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      buffer.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    done = true;
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (!done) {
      done = true;
      result.complete(buffer.toString(StandardCharsets.UTF_8));
    }
  }
}
