// The seed blog post's "Discovering service instances" snippet, completed minimally: the closing
// braces are restored and the instance map is printed (one JSON line) after the initial get and
// after every change, so a test can follow it. SEED_ETCD_HOSTS (host:port) may point node-etcd
// elsewhere than its default 127.0.0.1:2379.
var path = require('path'),
    uuid = require('node-uuid'),
    Etcd = require('node-etcd');

var etcd = new Etcd(process.env.SEED_ETCD_HOSTS);
var p = path.join('/', 'services', 'service_a', 'datacenter_x');

var instances = {};
function processData(data) {
  if (data.action == 'set') {
    instances[data.node.key] = data.node.value;
  } else if (data.action == 'expire') {
    delete instances[data.node.key];
  }
  console.log('instances ' + data.action + ' ' + JSON.stringify(instances));
}

var watcher = etcd.watcher(p, null, {recursive: true});
watcher.on("change", processData);

etcd.get(p, {recursive: true}, function(res, data) {
  data.node.nodes.forEach(function(node) {
    instances[node.key] = node.value;
  });
  console.log('instances initial ' + JSON.stringify(instances));
});
