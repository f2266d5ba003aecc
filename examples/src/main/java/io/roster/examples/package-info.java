/**
 * The seed blog post's service-discovery scenario in Java: {@link
 * io.roster.examples.RegisterService} registers an instance and keeps it alive, {@link
 * io.roster.examples.DiscoverService} lists the instances and prints every change. Run them with
 * {@code bin/example register} and {@code bin/example discover}.
 */
@NullMarked
package io.roster.examples;

import org.jspecify.annotations.NullMarked;
