#!/usr/bin/env python3
"""Delays (and loses a share of) the packets an iptables NFQUEUE rule hands it, for the multi-host
test harness on kernels without netem. Run inside a host's network namespace, next to a rule such as
  iptables -A OUTPUT -o eth0 -j NFQUEUE --queue-num 0 --queue-bypass
It speaks nfnetlink_queue directly (no library): bind the queue, copy packet metadata only, and give
each packet its verdict (accept after the delay, or drop) in arrival order. Stops on SIGTERM."""

import argparse
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NF_DROP, NF_ACCEPT = 0, 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def attribute(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def message(kind, queue, attributes, flags=NLM_F_REQUEST):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attributes)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, flags, 0, 0) + body


def configure(sock, queue):
    sock.send(message(NFQNL_MSG_CONFIG, queue, [attribute(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, 0))],
                      NLM_F_REQUEST | NLM_F_ACK))
    check_ack(sock, "bind queue %d" % queue)
    sock.send(message(NFQNL_MSG_CONFIG, queue, [attribute(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)),
                                               attribute(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 200000))],
                      NLM_F_REQUEST | NLM_F_ACK))
    check_ack(sock, "configure queue %d" % queue)


def check_ack(sock, what):
    data = sock.recv(65536)
    length, kind = struct.unpack_from("=IH", data, 0)
    if kind == NLMSG_ERROR:
        error = struct.unpack_from("=i", data, 16)[0]
        if error != 0:
            sys.exit("netdelay: cannot %s: %s" % (what, os.strerror(-error)))


def packet_ids(data):
    offset = 0
    while offset + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, offset)
        if length < 16:
            break
        if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            position = offset + 20
            end = offset + length
            while position + 4 <= end:
                attr_length, attr_kind = struct.unpack_from("=HH", data, position)
                if attr_length < 4:
                    break
                if attr_kind & 0x7fff == NFQA_PACKET_HDR:
                    yield struct.unpack_from("!I", data, position + 4)[0]
                    break
                position += (attr_length + 3) & ~3
        offset += (length + 3) & ~3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, required=True)
    parser.add_argument("--loss-percent", type=float, default=0.0)
    args = parser.parse_args()
    delay = args.delay_ms / 1000.0
    loss = args.loss_percent / 100.0

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind((0, 0))
    configure(sock, args.queue)
    signal.signal(signal.SIGTERM, lambda *unused: sys.exit(0))
    print("netdelay: queue %d, delay %.0f ms, loss %.1f %%" % (args.queue, args.delay_ms, args.loss_percent),
          flush=True)

    due = []  # (time, sequence, packet id, verdict): a constant delay keeps arrival order
    sequence = 0
    while True:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        readable, _, _ = select.select([sock], [], [], timeout)
        now = time.monotonic()
        if readable:
            try:
                data = sock.recv(1 << 20)
            except OSError:
                data = b""  # ENOBUFS: the kernel dropped messages; the packets go with them
            for packet in packet_ids(data):
                sequence += 1
                verdict = NF_DROP if loss and random.random() < loss else NF_ACCEPT
                heapq.heappush(due, (now + delay, sequence, packet, verdict))
        while due and due[0][0] <= time.monotonic():
            _, _, packet, verdict = heapq.heappop(due)
            sock.send(message(NFQNL_MSG_VERDICT, args.queue,
                              [attribute(NFQA_VERDICT_HDR, struct.pack("!II", verdict, packet))]))


if __name__ == "__main__":
    main()
