// AVX2 inner loops of the direct depthwise convolution (depthwise.go).

#include "textflag.h"

// func dwRows(rows, n int, dst *float32, ldd int, base *float32, ldb int, offs *int, w *float32, ntaps int)
//
// For each row r in [0, rows) and i in [0, n) (n >= 4):
//
//	dst[r*ldd+i] = Σ_t w[t]*base[r*ldb+offs[t]+i]
//
// summed in float32 over t in order from +0, each product rounded before
// its add (no fused multiply-add), as the scalar loops do. Columns go 16,
// then 8, then 4 at a time; when n is not a multiple of 4 the last 4
// columns are computed again (the loop sets dst, never accumulates).
// ntaps >= 1.
TEXT ·dwRows(SB), NOSPLIT, $0-72
	MOVQ rows+0(FP), R13
	MOVQ n+8(FP), CX
	MOVQ dst+16(FP), DI
	MOVQ ldd+24(FP), R14
	SHLQ $2, R14
	MOVQ base+32(FP), SI
	MOVQ ldb+40(FP), R15
	SHLQ $2, R15
	MOVQ offs+48(FP), R8
	MOVQ w+56(FP), R9
	MOVQ ntaps+64(FP), R10
row:
	XORQ AX, AX // i
loop16:
	MOVQ CX, BX
	SUBQ AX, BX
	CMPQ BX, $16
	JLT loop8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ R11, R11 // t
taps16:
	MOVQ (R8)(R11*8), R12
	ADDQ AX, R12
	VBROADCASTSS (R9)(R11*4), Y2
	VMULPS (SI)(R12*4), Y2, Y3
	VMULPS 32(SI)(R12*4), Y2, Y4
	VADDPS Y3, Y0, Y0
	VADDPS Y4, Y1, Y1
	INCQ R11
	CMPQ R11, R10
	JLT taps16
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	ADDQ $16, AX
	JMP loop16
loop8:
	CMPQ BX, $8
	JLT loop4
	VXORPS Y0, Y0, Y0
	XORQ R11, R11
taps8:
	MOVQ (R8)(R11*8), R12
	ADDQ AX, R12
	VBROADCASTSS (R9)(R11*4), Y2
	VMULPS (SI)(R12*4), Y2, Y3
	VADDPS Y3, Y0, Y0
	INCQ R11
	CMPQ R11, R10
	JLT taps8
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
loop4:
	CMPQ AX, CX
	JGE rowdone
	MOVQ CX, BX
	SUBQ AX, BX
	CMPQ BX, $4
	JGE do4
	MOVQ CX, AX // the last 4 columns again
	SUBQ $4, AX
do4:
	VXORPS X0, X0, X0
	XORQ R11, R11
taps4:
	MOVQ (R8)(R11*8), R12
	ADDQ AX, R12
	VBROADCASTSS (R9)(R11*4), X2
	VMULPS (SI)(R12*4), X2, X3
	VADDPS X3, X0, X0
	INCQ R11
	CMPQ R11, R10
	JLT taps4
	VMOVUPS X0, (DI)(AX*4)
	ADDQ $4, AX
	JMP loop4
rowdone:
	ADDQ R14, DI
	ADDQ R15, SI
	DECQ R13
	JNZ row
	VZEROUPPER
	RET
