// AVX loops of ClampF32 and ReluF32 (clamp.go).

#include "textflag.h"

// func clampAVX(dst, src *float32, n int, lo, hi float32)
//
// dst[i] = (m > lo ? m : lo) with m = (src[i] < hi ? src[i] : hi), and
// src[i] itself where it is NaN; n a multiple of 8.
TEXT ·clampAVX(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS lo+24(FP), Y6
	VBROADCASTSS hi+28(FP), Y7
	XORQ AX, AX
loop:
	CMPQ AX, CX
	JGE done
	VMOVUPS (SI)(AX*4), Y0
	VMINPS Y7, Y0, Y1          // Y1 = Y0 < hi ? Y0 : hi
	VMAXPS Y6, Y1, Y1          // Y1 = Y1 > lo ? Y1 : lo
	VCMPPS $3, Y0, Y0, Y2      // unordered: NaN lanes
	VBLENDVPS Y2, Y0, Y1, Y1   // Y1 = NaN lane ? Y0 : Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ $8, AX
	JMP loop
done:
	VZEROUPPER
	RET

// func reluAVX(dst, src *float32, n int)
//
// dst[i] = src[i] < 0 ? +0 : src[i]; n a multiple of 8.
TEXT ·reluAVX(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VXORPS Y7, Y7, Y7
	XORQ AX, AX
rloop:
	CMPQ AX, CX
	JGE rdone
	VMOVUPS (SI)(AX*4), Y0
	VCMPPS $1, Y7, Y0, Y1      // Y1 = Y0 < 0 (false for NaN)
	VANDNPS Y0, Y1, Y0         // Y0 = ^Y1 & Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP rloop
rdone:
	VZEROUPPER
	RET
