package io.roster.client.internal;

import java.net.URI;
import java.net.http.HttpHeaders;

/**
 * An HTTP answer before decoding, with the endpoint that gave it. Immutable.
 *
 * @param endpoint the endpoint that answered
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body as text (UTF-8)
 */
public record RawResponse(URI endpoint, int status, HttpHeaders headers, String body) {

  /** A numeric header, 0 if absent or not a number. */
  public long longHeader(String name) {
    String v = headers.firstValue(name).orElse("");
    try {
      return v.isEmpty() ? 0 : Long.parseUnsignedLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
