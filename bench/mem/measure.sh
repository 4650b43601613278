#!/bin/bash
# Memory snapshot of a running hub JVM: RSS, threads, NMT summary, heap after a full GC.
#   bench/mem/measure.sh <pid> [label]
# The JVM needs -XX:NativeMemoryTracking=summary for the NMT part (HUB_JAVA_OPTS).
set -u
pid=$1; label=${2:-}
echo "== $label pid $pid at $(date -u +%H:%M:%S), uptime $(ps -o etimes= -p "$pid")s, load $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|Threads)' /proc/"$pid"/status | tr -s ' \t' ' ' | paste -sd' '
echo "threads (jstack): $(jcmd "$pid" Thread.print 2>/dev/null | grep -c '^"')"
jcmd "$pid" GC.run >/dev/null 2>&1; sleep 1
jcmd "$pid" GC.heap_info 2>/dev/null | grep -E 'tenured generation|def new|Metaspace' | sed -E 's/ \[.*//; s/^ +//'
echo "RSS after GC: $(grep VmRSS /proc/"$pid"/status | tr -s ' \t' ' ')"
jcmd "$pid" VM.native_memory summary 2>/dev/null | grep -E '^(Total|-  ? ?[A-Za-z ]+ \(reserved)' | sed -E 's/\(reserved=([0-9]+)KB, committed=([0-9]+)KB\)/reserved \1 KB committed \2 KB/'
