package io.linuxpatch.agent;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the agent is doing when the unit is {@code Type=notify} (OPS-1): {@code READY=1} once the API
 * answers, {@code STOPPING=1} when a stop begins. Through {@code sd_notify(3)} of libsystemd, called with JNA (which
 * the agent already carries for OSHI): the notification socket is a datagram socket, which the JDK cannot open.
 * Does nothing when {@code $NOTIFY_SOCKET} is unset (not started by systemd, or another unit type).
 */
final class SystemdNotify {

  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);

  /** The one function of libsystemd the agent calls. */
  interface LibSystemd extends Library {
    int sd_notify(int unsetEnvironment, String state);
  }

  private SystemdNotify() {}

  /** Sends {@code state} (newline-separated {@code KEY=VALUE} lines); a failure is logged, never thrown. */
  static void send(String state) {
    if (System.getenv("NOTIFY_SOCKET") == null) {
      return;
    }
    try {
      // "systemd" finds the versioned libsystemd.so.0 that every systemd host has (no -dev package needed).
      LibSystemd lib = Native.load("systemd", LibSystemd.class);
      int result = lib.sd_notify(0, state);
      if (result <= 0) {
        LOG.warn("systemd was not notified of {} (sd_notify returned {})", state.replace('\n', ' '), result);
      }
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Under Type=notify systemd then times the start out and says so; the log line says why.
      LOG.warn("systemd was not notified of {}: libsystemd could not be called ({})", state.replace('\n', ' '),
          e.toString());
    }
  }
}
