# linux-patch-api %post: enable the unit on a first install (systemctl enable works without a running systemd too),
# build the start-up archive when a Java is there, then, with systemd running: start a first install that has
# usable certificates or an enrollment manager, restart a running agent on an upgrade (the new files are in place;
# its package-manager children are left alone, KillMode=process, OPS-2). rpm --root runs this inside the root.
UNIT=linux-patch-api.service
CONFIG=/etc/linux_patch_api/config.yaml

can_start() {
  linux-patch-api --config "$CONFIG" --check-config >/dev/null 2>&1 && return 0
  grep -Eq '^[[:space:]]+manager_url:[[:space:]]*[^[:space:]#]' "$CONFIG" 2>/dev/null
}

how_to_start() {
  cat <<'TEXT'
linux-patch-api: installed and enabled, but not started: there are no usable certificates yet.
  1. Put the CA certificate, this host's certificate and its key into /etc/linux_patch_api/certs/
     (ca.pem, server.pem, server.key.pem; tls.* in /etc/linux_patch_api/config.yaml names them), or set
     enrollment.manager_url in that file.
  2. Allow your clients' addresses in /etc/linux_patch_api/whitelist.yaml.
  3. Check with: linux-patch-api --check-config
  4. Start with: systemctl start linux-patch-api
TEXT
}

if [ "$1" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
  systemctl --no-reload enable "$UNIT" >/dev/null 2>&1 || :
fi
if [ -n "${JAVA_HOME:-}" ] || command -v java >/dev/null 2>&1; then
  linux-patch-api --build-start-archive || :
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  if [ "$1" -ge 2 ]; then
    systemctl try-restart "$UNIT" >/dev/null 2>&1 || :
  elif can_start; then
    systemctl start "$UNIT" >/dev/null 2>&1 || :
  else
    how_to_start
  fi
elif [ "$1" -eq 1 ] && ! can_start; then
  how_to_start
fi
exit 0
