#!/usr/bin/env python3
"""What Redis itself allows: the Redis work of bench/scale.sh's scale-out (a quarter of each of 3 masters' slots onto
the empty 4th), done by the leanest client there is, so the keys/s it reaches bound what any mover can reach on this
machine. No JVM, no coordinator: one Python thread per source, plain sockets, Warden's algorithm (groups of GROUP
slots: SETSLOT IMPORTING on the target and MIGRATING on the source, pipelined; GETKEYSINSLOT pipelined; one
MIGRATE ... REPLACE KEYS per slot, WINDOW in flight; SETSLOT NODE on target then source). Prints keys/s and the CPU
seconds every redis-server and this client spent (INFO cpu, process_time).

  bench/migrate_ceiling.py SEED_DIR [--sources 3] [--window 6] [--group 128] [--writer] [--script]

--script lists and migrates each slot's keys inside the source (one EVAL per slot, as the agent does since session 6),
so the keys never reach this client.

SEED_DIR is a snapshot made by `SEED=DIR bench/scale.sh` (ports 7301-7304 must be free: run under the heavy lock).
--writer also runs ScaleBench's writer (500 writes/s) as bench/scale.sh does (needs the built jars).
"""
import argparse, os, shutil, socket, subprocess, tempfile, threading, time

BASE = 7301
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb")

    def cmd(self, *a):
        self.s.sendall(resp(*a))
        return self.read()

    def read(self):
        line = self.f.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind in b"+:":
            return rest
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2]
        return [self.read() for _ in range(int(rest))]


def cpu(port):
    info = dict(l.split(":", 1) for l in Conn(port).cmd("INFO", "cpu").decode().split("\r\n") if ":" in l)
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


# --script: each slot's keys are listed and migrated inside the source (one EVALSHA per slot), never sent to a client.
MOVE_SLOT = (b"local keys = redis.call('CLUSTER', 'GETKEYSINSLOT', ARGV[1], ARGV[2]) "
             b"if #keys == 0 then return 0 end "
             b"redis.call('MIGRATE', ARGV[3], ARGV[4], '', 0, ARGV[5], 'REPLACE', 'KEYS', unpack(keys)) "
             b"return #keys")


def mover(i, group, window, target_id, result, script=False):
    c, t = Conn(BASE + i), Conn(BASE + 3)
    my_id = c.cmd("CLUSTER", "MYID").decode()
    line = next(l for l in c.cmd("CLUSTER", "NODES").decode().splitlines() if "myself" in l)
    lo, hi = map(int, line.split()[8].split("-"))
    slots = list(range(lo, hi + 1))[: (hi - lo + 1) // 4]
    moved = 0
    sha = c.cmd("SCRIPT", "LOAD", MOVE_SLOT) if script else None
    for g in range(0, len(slots), group):
        grp = slots[g:g + group]
        t.s.sendall(b"".join(resp("CLUSTER", "SETSLOT", s, "IMPORTING", my_id) for s in grp)); [t.read() for _ in grp]
        c.s.sendall(b"".join(resp("CLUSTER", "SETSLOT", s, "MIGRATING", target_id) for s in grp)); [c.read() for _ in grp]
        pending = 0
        if script:
            for s in grp:
                c.s.sendall(resp("EVALSHA", sha, 0, s, 1000, "127.0.0.1", BASE + 3, 10000))
                pending += 1
                if pending >= window:
                    moved += int(c.read()); pending -= 1
            while pending:
                moved += int(c.read()); pending -= 1
            listed = []
        else:
            c.s.sendall(b"".join(resp("CLUSTER", "GETKEYSINSLOT", s, 1000) for s in grp)); listed = [c.read() for _ in grp]
        for keys in listed:
            if keys:
                c.s.sendall(resp("MIGRATE", "127.0.0.1", BASE + 3, "", 0, 10000, "REPLACE", "KEYS", *keys))
                pending += 1
                moved += len(keys)
                if pending >= window:
                    c.read(); pending -= 1
        while pending:
            c.read(); pending -= 1
        t.s.sendall(b"".join(resp("CLUSTER", "SETSLOT", s, "NODE", target_id) for s in grp)); [t.read() for _ in grp]
        c.s.sendall(b"".join(resp("CLUSTER", "SETSLOT", s, "NODE", target_id) for s in grp)); [c.read() for _ in grp]
    result[i] = moved


def main():
    p = argparse.ArgumentParser()
    p.add_argument("seed")
    p.add_argument("--sources", type=int, default=3)
    p.add_argument("--window", type=int, default=6)
    p.add_argument("--group", type=int, default=128)
    p.add_argument("--writer", action="store_true")
    p.add_argument("--script", action="store_true", help="list and migrate each slot's keys inside the source (EVALSHA)")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="warden-ceiling.")
    shutil.rmtree(work)
    shutil.copytree(a.seed, work)
    procs = [subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(BASE + i), "--dir", f"{work}/{i}",
                               "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--save", "",
                               "--appendonly", "no", "--logfile", f"{work}/{i}/redis.log"]) for i in range(4)]
    writer = None
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if all(b"cluster_state:ok" in Conn(BASE + i).cmd("CLUSTER", "INFO") for i in range(4)):
                    break
            except (OSError, RuntimeError):
                pass
            time.sleep(0.1)
        if a.writer:
            writer = subprocess.Popen(["java", "-Xmx256m", "-cp", f"{ROOT}/testkit/target/classes:{ROOT}/agent/target/warden-agent.jar",
                                       f"{ROOT}/bench/ScaleBench.java", "write", f"127.0.0.1:{BASE}", "500", f"{work}/stop"],
                                      stdout=open(f"{work}/writer.txt", "w"), stderr=subprocess.DEVNULL)
            time.sleep(3)
        target_id = Conn(BASE + 3).cmd("CLUSTER", "MYID").decode()
        before = [cpu(BASE + i) for i in range(4)]
        client_before = time.process_time()
        result = {}
        started = time.time()
        threads = [threading.Thread(target=mover, args=(i, a.group, a.window, target_id, result, a.script)) for i in range(a.sources)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        took = time.time() - started
        used = [cpu(BASE + i) - b for i, b in enumerate(before)]
        keys = sum(result.values())
        print(f"{'script, ' if a.script else ''}{a.sources} sources, group {a.group}, window {a.window}{', writer' if a.writer else ''}: {keys} keys in "
              f"{took:.2f} s = {keys / took:,.0f} keys/s; CPU s: sources {' '.join(f'{u:.2f}' for u in used[:3])}, "
              f"target {used[3]:.2f}, client {time.process_time() - client_before:.2f} "
              f"(all: {sum(used) + time.process_time() - client_before:.2f} CPU s in {took:.2f} s on {os.cpu_count()} cores); "
              f"load average {os.getloadavg()[0]:.1f}")
        if writer:
            open(f"{work}/stop", "w").close()
            writer.wait()
            print("  writer:", open(f"{work}/writer.txt").read().strip())
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
