package io.roster.server.http;

import io.roster.api.ErrorCode;

/** What parsing a keys request yields: a valid {@link KeyRequest}, or the error etcd answers. */
sealed interface KeyParse permits KeyRequest, KeyParse.Invalid {

  /**
   * A request-validation error: answered with {@code "index":0} and {@code X-Etcd-Index: 0}.
   *
   * @param code the etcd error (2xx codes, or 210 for a form error)
   * @param cause the exact cause text
   */
  record Invalid(ErrorCode code, String cause) implements KeyParse {}
}
