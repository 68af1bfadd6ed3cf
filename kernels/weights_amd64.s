// AVX2 loops of RangeF32 and ScaleRowsF32 (weights.go).

#include "textflag.h"

// func rangeAVX(p *float32, n int, lo, hi *[8]float32) (special bool)
//
// Per lane: lo = v < lo ? v : lo and hi = v > hi ? v : hi (a NaN v
// compares false and leaves them), special |= (bits(v) & exp) == exp.
TEXT ·rangeAVX(SB), NOSPLIT, $0-33
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVL $0x7f800000, AX       // +Inf, and the exponent mask
	MOVQ AX, X3
	VPBROADCASTD X3, Y3
	MOVL $0xff800000, AX       // -Inf
	MOVQ AX, X1
	VPBROADCASTD X1, Y1
	VMOVUPS Y3, Y0             // lo
	VPXOR Y2, Y2, Y2           // special
	XORQ AX, AX
loop:
	CMPQ AX, CX
	JGE done
	VMOVUPS (SI)(AX*4), Y4
	VMINPS Y0, Y4, Y0          // Y0 = Y4 < Y0 ? Y4 : Y0
	VMAXPS Y1, Y4, Y1          // Y1 = Y4 > Y1 ? Y4 : Y1
	VPAND Y3, Y4, Y5
	VPCMPEQD Y3, Y5, Y5
	VPOR Y5, Y2, Y2
	ADDQ $8, AX
	JMP loop
done:
	MOVQ lo+16(FP), DI
	VMOVUPS Y0, (DI)
	MOVQ hi+24(FP), DI
	VMOVUPS Y1, (DI)
	VPTEST Y2, Y2
	SETNE special+32(FP)
	VZEROUPPER
	RET

// func scaleAVX(dst, src *float32, n int, f float64)
//
// Four at a time: widen to float64 (exact), multiply, round to float32,
// as the scalar conversions do.
TEXT ·scaleAVX(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD f+24(FP), Y7
	XORQ AX, AX
sloop:
	CMPQ AX, CX
	JGE sdone
	VCVTPS2PD (SI)(AX*4), Y0
	VCVTPS2PD 16(SI)(AX*4), Y1
	VMULPD Y7, Y0, Y0
	VMULPD Y7, Y1, Y1
	VCVTPD2PSY Y0, X0
	VCVTPD2PSY Y1, X1
	VMOVUPS X0, (DI)(AX*4)
	VMOVUPS X1, 16(DI)(AX*4)
	ADDQ $8, AX
	JMP sloop
sdone:
	VZEROUPPER
	RET

// func transpose8AVX(dst *float32, ldd int, src *float32, offs *[8]int, n int)
//
// Per eight columns: load the eight rows' eight elements, transpose the
// 8×8 block in registers (unpack pairs, shuffle quads, swap 128-bit
// halves) and store its eight rows, dst advancing one row per store.
TEXT ·transpose8AVX(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ ldd+8(FP), R13
	SHLQ $2, R13               // row stride in bytes
	MOVQ src+16(FP), CX
	MOVQ offs+24(FP), R12
	MOVQ 0(R12), AX
	LEAQ (CX)(AX*4), AX
	MOVQ 8(R12), BX
	LEAQ (CX)(BX*4), BX
	MOVQ 16(R12), DX
	LEAQ (CX)(DX*4), DX
	MOVQ 24(R12), SI
	LEAQ (CX)(SI*4), SI
	MOVQ 32(R12), R8
	LEAQ (CX)(R8*4), R8
	MOVQ 40(R12), R9
	LEAQ (CX)(R9*4), R9
	MOVQ 48(R12), R10
	LEAQ (CX)(R10*4), R10
	MOVQ 56(R12), R11
	LEAQ (CX)(R11*4), R11
	MOVQ n+32(FP), R12
	SHLQ $2, R12               // end, in bytes
	XORQ CX, CX
tloop:
	CMPQ CX, R12
	JGE tdone
	VMOVUPS (AX)(CX*1), Y0
	VMOVUPS (BX)(CX*1), Y1
	VMOVUPS (DX)(CX*1), Y2
	VMOVUPS (SI)(CX*1), Y3
	VMOVUPS (R8)(CX*1), Y4
	VMOVUPS (R9)(CX*1), Y5
	VMOVUPS (R10)(CX*1), Y6
	VMOVUPS (R11)(CX*1), Y7
	VUNPCKLPS Y1, Y0, Y8       // a0 b0 a1 b1 | a4 b4 a5 b5
	VUNPCKHPS Y1, Y0, Y9       // a2 b2 a3 b3 | a6 b6 a7 b7
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0 // a0 b0 c0 d0 | a4 b4 c4 d4
	VSHUFPS $0xEE, Y10, Y8, Y1 // a1 b1 c1 d1 | a5 ...
	VSHUFPS $0x44, Y11, Y9, Y2 // a2 ...      | a6 ...
	VSHUFPS $0xEE, Y11, Y9, Y3 // a3 ...      | a7 ...
	VSHUFPS $0x44, Y14, Y12, Y4 // e0 f0 g0 h0 | e4 ...
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8 // column 0
	VPERM2F128 $0x20, Y5, Y1, Y9 // column 1
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12 // column 4
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	VMOVUPS Y8, (DI)
	ADDQ R13, DI
	VMOVUPS Y9, (DI)
	ADDQ R13, DI
	VMOVUPS Y10, (DI)
	ADDQ R13, DI
	VMOVUPS Y11, (DI)
	ADDQ R13, DI
	VMOVUPS Y12, (DI)
	ADDQ R13, DI
	VMOVUPS Y13, (DI)
	ADDQ R13, DI
	VMOVUPS Y14, (DI)
	ADDQ R13, DI
	VMOVUPS Y15, (DI)
	ADDQ R13, DI
	ADDQ $32, CX
	JMP tloop
tdone:
	VZEROUPPER
	RET
