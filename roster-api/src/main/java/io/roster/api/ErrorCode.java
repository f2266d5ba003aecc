package io.roster.api;

/**
 * The etcd v2 error table: code, exact message and HTTP status, as in etcd's {@code
 * v2error/error.go}. This is the one table shared by server, client and CLI; nothing else spells an
 * etcd error message.
 *
 * <p>Codes marked "defined only" exist in etcd's table but no etcd 3.4 code path emits them; they
 * are kept so that clients can decode any code an etcd server may send.
 */
public enum ErrorCode {
  KEY_NOT_FOUND(100, "Key not found", 404),
  TEST_FAILED(101, "Compare failed", 412),
  NOT_FILE(102, "Not a file", 403),
  /** Defined only. */
  NO_MORE_PEER(103, "Reached the max number of peers in the cluster", 400),
  NOT_DIR(104, "Not a directory", 400),
  NODE_EXIST(105, "Key already exists", 412),
  /** Defined only. */
  KEY_IS_PRESERVED(106, "The prefix of given key is a keyword in etcd", 400),
  ROOT_READ_ONLY(107, "Root is read only", 400),
  DIR_NOT_EMPTY(108, "Directory not empty", 403),
  /** Defined only. */
  EXISTING_PEER_ADDR(109, "Peer address has existed", 400),
  UNAUTHORIZED(110, "The request requires user authentication", 401),

  /** Defined only. */
  VALUE_REQUIRED(200, "Value is Required in POST form", 400),
  PREV_VALUE_REQUIRED(201, "PrevValue is Required in POST form", 400),
  TTL_NAN(202, "The given TTL in POST form is not a number", 400),
  INDEX_NAN(203, "The given index in POST form is not a number", 400),
  /** Defined only. */
  VALUE_OR_TTL_REQUIRED(204, "Value or TTL is required in POST form", 400),
  /** Defined only. */
  TIMEOUT_NAN(205, "The given timeout in POST form is not a number", 400),
  /** Defined only. */
  NAME_REQUIRED(206, "Name is required in POST form", 400),
  /** Defined only. */
  INDEX_OR_VALUE_REQUIRED(207, "Index or value is required", 400),
  /** Defined only. */
  INDEX_VALUE_MUTEX(208, "Index and value cannot both be specified", 400),
  INVALID_FIELD(209, "Invalid field", 400),
  INVALID_FORM(210, "Invalid POST form", 400),
  REFRESH_VALUE(211, "Value provided on refresh", 400),
  REFRESH_TTL_REQUIRED(212, "A TTL must be provided on refresh", 400),

  RAFT_INTERNAL(300, "Raft Internal Error", 500),
  /** Defined only. */
  LEADER_ELECT(301, "During Leader Election", 500),

  /** Defined only. */
  WATCHER_CLEARED(400, "watcher is cleared due to etcd recovery", 400),
  EVENT_INDEX_CLEARED(401, "The event in requested index is outdated and cleared", 400),
  /** Defined only. */
  STANDBY_INTERNAL(402, "Standby Internal Error", 400),
  /** Defined only. */
  INVALID_ACTIVE_SIZE(403, "Invalid active size", 400),
  /** Defined only. */
  INVALID_REMOVE_DELAY(404, "Standby remove delay", 400),

  /** Defined only. */
  CLIENT_INTERNAL(500, "Client Internal Error", 400);

  private static final ErrorCode[] BY_CODE = new ErrorCode[501];

  static {
    for (ErrorCode e : values()) {
      BY_CODE[e.code] = e;
    }
  }

  private final int code;
  private final String message;
  private final int httpStatus;

  ErrorCode(int code, String message, int httpStatus) {
    this.code = code;
    this.message = message;
    this.httpStatus = httpStatus;
  }

  /** The numeric etcd error code, e.g. 100. */
  public int code() {
    return code;
  }

  /** etcd's exact message text, e.g. {@code "Key not found"}. */
  public String message() {
    return message;
  }

  /** The HTTP status etcd answers with for this code. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The error for a numeric code.
   *
   * @throws IllegalArgumentException if etcd defines no such code
   */
  public static ErrorCode of(int code) {
    ErrorCode e = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    if (e == null) {
      throw new IllegalArgumentException("unknown etcd error code " + code);
    }
    return e;
  }
}
