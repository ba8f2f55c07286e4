# CS:APP (3rd ed.) section 9.6.4, "Putting It Together: End-to-End Address
# Translation": the small memory system of Figure 9.20 and the worked example,
# then practice problem 9.4 and homework problems 9.11-9.13, each with the
# book's answers (mmucourse check marks them; docs/course.md explains).
config csapp
title CS:APP 9.6.4: Figure 9.20, the worked example and problems 9.4, 9.11-9.13

# The page table: 256 four-byte PTEs at PA 0x700 (frames 0x1C-0x2B, which
# the figure's TLB and cache use harmlessly; tests/golden/test_csapp.c).
ptbr 0x700

# (a) The TLB: four sets of four ways, TLBT and PPN in hex, stale (invalid)
# entries included, exactly as in the figure.
tlb 0 0 tag=0x03 ppn=0x00 valid=0
tlb 0 1 tag=0x09 ppn=0x0D valid=1
tlb 0 2 tag=0x00 ppn=0x00 valid=0
tlb 0 3 tag=0x07 ppn=0x02 valid=1
tlb 1 0 tag=0x03 ppn=0x2D valid=1
tlb 1 1 tag=0x02 ppn=0x00 valid=0
tlb 1 2 tag=0x04 ppn=0x00 valid=0
tlb 1 3 tag=0x0A ppn=0x00 valid=0
tlb 2 0 tag=0x02 ppn=0x00 valid=0
tlb 2 1 tag=0x08 ppn=0x00 valid=0
tlb 2 2 tag=0x06 ppn=0x00 valid=0
tlb 2 3 tag=0x03 ppn=0x00 valid=0
tlb 3 0 tag=0x07 ppn=0x00 valid=0
tlb 3 1 tag=0x03 ppn=0x0D valid=1
tlb 3 2 tag=0x0A ppn=0x34 valid=1
tlb 3 3 tag=0x02 ppn=0x00 valid=0

# (b) The first 16 page-table entries: VPN -> PPN, valid.
pte 0x00 ppn=0x28 valid=1
pte 0x01 ppn=0x00 valid=0
pte 0x02 ppn=0x33 valid=1
pte 0x03 ppn=0x02 valid=1
pte 0x04 ppn=0x00 valid=0
pte 0x05 ppn=0x16 valid=1
pte 0x06 ppn=0x00 valid=0
pte 0x07 ppn=0x00 valid=0
pte 0x08 ppn=0x13 valid=1
pte 0x09 ppn=0x17 valid=1
pte 0x0A ppn=0x09 valid=1
pte 0x0B ppn=0x00 valid=0
pte 0x0C ppn=0x00 valid=0
pte 0x0D ppn=0x2D valid=1
pte 0x0E ppn=0x11 valid=1
pte 0x0F ppn=0x0D valid=1
# Not in the figure, which shows 16 of the 256 entries: the pages its valid
# TLB entries translate (VPN 0x24, 0x1C, 0x2B), so the TLB agrees with memory.
pte 0x24 ppn=0x0D valid=1
pte 0x1C ppn=0x02 valid=1
pte 0x2B ppn=0x34 valid=1

# (c) The cache: 16 sets, direct-mapped, 4-byte blocks: CI, way, CT, valid,
# bytes 0-3.
line 0x0 0 tag=0x19 valid=1 bytes 99 11 23 11
line 0x1 0 tag=0x15 valid=0
line 0x2 0 tag=0x1B valid=1 bytes 00 02 04 08
line 0x3 0 tag=0x36 valid=0
line 0x4 0 tag=0x32 valid=1 bytes 43 6D 8F 09
line 0x5 0 tag=0x0D valid=1 bytes 36 72 F0 1D
line 0x6 0 tag=0x31 valid=0
line 0x7 0 tag=0x16 valid=1 bytes 11 C2 DF 03
line 0x8 0 tag=0x24 valid=1 bytes 3A 00 51 89
line 0x9 0 tag=0x2D valid=0
line 0xA 0 tag=0x2D valid=1 bytes 93 15 DA 3B
line 0xB 0 tag=0x0B valid=0
line 0xC 0 tag=0x12 valid=0
line 0xD 0 tag=0x16 valid=1 bytes 04 96 34 15
line 0xE 0 tag=0x13 valid=1 bytes 83 77 1B D3
line 0xF 0 tag=0x14 valid=0

# The worked example: a one-byte user load from 0x03d4.
load 0x03d4
answer vpn=0x0F vpo=0x14 tlbi=0x3 tlbt=0x03 tlb=hit fault=none ppn=0x0D pa=0x354 co=0x0 ci=0x5 ct=0x0D cache=hit data=0x36

# Practice problem 9.4: 0x03d7.
load 0x03d7
answer vpn=0x0F vpo=0x17 tlbi=0x3 tlbt=0x03 tlb=hit fault=none ppn=0x0D pa=0x357 co=0x3 ci=0x5 ct=0x0D cache=hit data=0x1D

# Homework 9.11: 0x027c (the book gives no byte for a cache miss).
load 0x027c
answer vpn=0x09 vpo=0x3C tlbi=0x1 tlbt=0x02 tlb=miss fault=none ppn=0x17 pa=0x5FC co=0x0 ci=0xF ct=0x17 cache=miss

# Homework 9.12: 0x03a9.
load 0x03a9
answer vpn=0x0E vpo=0x29 tlbi=0x2 tlbt=0x03 tlb=miss fault=none ppn=0x11 pa=0x469 co=0x1 ci=0xA ct=0x11 cache=miss

# Homework 9.13: 0x0040, a page fault.
load 0x0040
answer vpn=0x01 vpo=0x00 tlbi=0x1 tlbt=0x00 tlb=miss fault=pf
