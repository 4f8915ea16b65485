package io.linuxpatch.enrollment;

/**
 * What an approving manager answered: the CA, the host's certificate (leaf first, intermediates may follow)
 * and, from a manager of the original protocol only, a private key it generated. Nothing here is trusted yet:
 * {@link MaterialCheck} decides.
 *
 * @param caPem     {@code ca_crt}
 * @param certPem   {@code server_crt}
 * @param keyPem    {@code server_key}, or null when the manager certified the agent's own key (the CSR)
 * @param managerIp the address of the connection that carried the answer (for the allow-list)
 */
public record ApprovedMaterial(String caPem, String certPem, String keyPem, String managerIp) {

  public boolean keyFromManager() {
    return keyPem != null;
  }

  @Override
  public String toString() {
    return "ApprovedMaterial[manager " + managerIp + ", key " + (keyPem == null ? "the agent's own" : "redacted")
        + "]";
  }
}
