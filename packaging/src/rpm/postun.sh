# linux-patch-api %postun: tell a running systemd that the unit is gone. RPM has no purge: an edited config.yaml or
# whitelist.yaml stays as *.rpmsave, certificates, job state and audit logs stay until an administrator deletes them.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
fi
exit 0
