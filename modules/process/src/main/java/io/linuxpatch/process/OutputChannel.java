package io.linuxpatch.process;

/** Which of a child's two output pipes a line or a captured tail came from. */
public enum OutputChannel {
  STDOUT, STDERR
}
