// The seed blog post's "Registering a service instance" snippet, completed minimally:
// the garbled etcd.set( call and the closing braces are restored, nothing else changed.
// For a fast test the TTL (seconds) and the refresh interval (ms) may come from the environment;
// the defaults are the blog's values (ttl 60, every 10000 ms). SEED_ETCD_HOSTS (host:port) may point
// node-etcd elsewhere than its default 127.0.0.1:2379.
var path = require('path'),
    uuid = require('node-uuid'),
    Etcd = require('node-etcd');

var etcd = new Etcd(process.env.SEED_ETCD_HOSTS),

    p = path.join('/', 'services', 'service_a', 'datacenter_x', uuid.v4());

var ttl = Number(process.env.SEED_TTL_SECONDS || 60);
var interval = Number(process.env.SEED_INTERVAL_MS || 10000);

function register() {
  etcd.set(p, JSON.stringify({
      hostname: '',
      port: '3000'
    }), {
        ttl: ttl
    });

  console.log('Registered with etcd as ' + p);
}

setInterval(register, interval);
