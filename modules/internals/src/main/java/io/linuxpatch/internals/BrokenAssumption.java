package io.linuxpatch.internals;

import io.vertx.core.Vertx;

/**
 * Thrown when a Vert.x internal this package relies on is not what it was written against (a Vert.x upgrade moved
 * or changed it): the agent refuses to start, or to serve the connection, rather than run without the behaviour
 * the hook gives (a silent drop, a request deadline, framing checks…). The message names the hook, what was
 * expected and the Vert.x version found.
 */
public final class BrokenAssumption extends IllegalStateException {

  BrokenAssumption(String hook, String expected) {
    super(hook + ": " + expected + " (Vert.x " + vertxVersion() + "; see modules/internals/README.md)");
  }

  /** The Vert.x version on the class path, as its jar's manifest says, or "unknown". */
  static String vertxVersion() {
    String version = Vertx.class.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }
}
