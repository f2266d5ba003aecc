/** Server-wide Micrometer metrics, exported on {@code /metrics} in Prometheus format. */
@NullMarked
package io.roster.server.metrics;

import org.jspecify.annotations.NullMarked;
