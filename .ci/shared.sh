# Sourced by the CI scripts: SHARED, the folder of the shared build tools beside the checkout
# (or SHARED_DIR), and free_port.
SHARED=${SHARED_DIR:-}
if [ -z "$SHARED" ]; then
  for d in ../shared /work/shared; do [ -d "$d/tools/container" ] && SHARED=$(cd "$d" && pwd) && break; done
fi
[ -n "$SHARED" ] || { echo "FAIL: shared/tools not found (set SHARED_DIR)"; exit 1; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
