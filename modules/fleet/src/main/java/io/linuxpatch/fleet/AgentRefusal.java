package io.linuxpatch.fleet;

/**
 * An agent's refusal, as the fleet reports it: the host, the agent's error code and its message.
 */
public final class AgentRefusal extends RuntimeException {

  private final String code;

  public AgentRefusal(Host host, String code, String message) {
    super(host + ": " + code + ": " + message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
