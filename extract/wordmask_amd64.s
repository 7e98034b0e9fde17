#include "textflag.h"

// Byte constants, each broadcast to a whole register.
DATA classconst<>+0(SB)/1, $0x20
DATA classconst<>+1(SB)/1, $0x61
DATA classconst<>+2(SB)/1, $25
DATA classconst<>+3(SB)/1, $0x30
DATA classconst<>+4(SB)/1, $9
DATA classconst<>+5(SB)/1, $0x5f
DATA classconst<>+6(SB)/1, $0x0f
DATA classconst<>+7(SB)/1, $0x07
GLOBL classconst<>(SB), RODATA|NOPTR, $8

// The bit of a high nibble h in a byteSet element: 1<<(h&7).
DATA nibblebit<>+0(SB)/8, $0x8040201008040201
DATA nibblebit<>+8(SB)/8, $0x8040201008040201
GLOBL nibblebit<>(SB), RODATA|NOPTR, $16

// func classifyAVX2(words, inSet *uint64, src *byte, blocks int, set *byteSet)
//
// For each block of 64 bytes, 32 at a time.
//
// Word bytes: letters (byte|0x20 in 'a'..'z'), digits and '_'. A range test
// is an unsigned minimum: x-lo is in 0..hi-lo when min(x-lo, hi-lo) == x-lo.
//
// The set: VPSHUFB looks the low nibble up in both halves of the byteSet
// (high nibbles 0-7 and 8-15), the high nibble picks the half and the bit.
//
// Only VEX-encoded instructions: a legacy SSE one here (such as MOVQ to an
// X register) made each call stall for hundreds of cycles.
TEXT ·classifyAVX2(SB), NOSPLIT, $0-40
	MOVQ words+0(FP), DI
	MOVQ inSet+8(FP), R8
	MOVQ src+16(FP), SI
	MOVQ blocks+24(FP), CX
	MOVQ set+32(FP), DX

	VPBROADCASTB classconst<>+0(SB), Y8  // 0x20
	VPBROADCASTB classconst<>+1(SB), Y9  // 'a'
	VPBROADCASTB classconst<>+2(SB), Y10 // 'z'-'a'
	VPBROADCASTB classconst<>+3(SB), Y11 // '0'
	VPBROADCASTB classconst<>+4(SB), Y12 // '9'-'0'
	VPBROADCASTB classconst<>+5(SB), Y13 // '_'
	VPBROADCASTB classconst<>+6(SB), Y14 // low nibble mask
	VPBROADCASTB classconst<>+7(SB), Y15 // 7: high nibbles above it pick the upper half
	VBROADCASTI128 0(DX), Y6             // set, high nibbles 0-7
	VBROADCASTI128 16(DX), Y7            // set, high nibbles 8-15
	VBROADCASTI128 nibblebit<>(SB), Y5

loop:
	TESTQ CX, CX
	JZ    done

	VMOVDQU (SI), Y0
	VPOR     Y8, Y0, Y1  // folded to lower case
	VPSUBB   Y9, Y1, Y1  // - 'a'
	VPMINUB  Y10, Y1, Y2
	VPCMPEQB Y1, Y2, Y1  // a letter
	VPSUBB   Y11, Y0, Y2 // - '0'
	VPMINUB  Y12, Y2, Y3
	VPCMPEQB Y2, Y3, Y2  // a digit
	VPCMPEQB Y13, Y0, Y3 // '_'
	VPOR     Y1, Y2, Y1
	VPOR     Y1, Y3, Y1
	VPMOVMSKB Y1, AX
	VPAND    Y14, Y0, Y1 // low nibbles
	VPSRLW   $4, Y0, Y2
	VPAND    Y14, Y2, Y2 // high nibbles
	VPSHUFB  Y1, Y6, Y3  // set bits, lower half
	VPSHUFB  Y1, Y7, Y4  // set bits, upper half
	VPCMPGTB Y15, Y2, Y1 // high nibble >= 8
	VPBLENDVB Y1, Y4, Y3, Y3
	VPSHUFB  Y2, Y5, Y2  // the high nibble's bit
	VPAND    Y2, Y3, Y3
	VPCMPEQB Y2, Y3, Y3  // in the set
	VPMOVMSKB Y3, R9

	VMOVDQU 32(SI), Y0
	VPOR     Y8, Y0, Y1
	VPSUBB   Y9, Y1, Y1
	VPMINUB  Y10, Y1, Y2
	VPCMPEQB Y1, Y2, Y1
	VPSUBB   Y11, Y0, Y2
	VPMINUB  Y12, Y2, Y3
	VPCMPEQB Y2, Y3, Y2
	VPCMPEQB Y13, Y0, Y3
	VPOR     Y1, Y2, Y1
	VPOR     Y1, Y3, Y1
	VPMOVMSKB Y1, BX
	VPAND    Y14, Y0, Y1
	VPSRLW   $4, Y0, Y2
	VPAND    Y14, Y2, Y2
	VPSHUFB  Y1, Y6, Y3
	VPSHUFB  Y1, Y7, Y4
	VPCMPGTB Y15, Y2, Y1
	VPBLENDVB Y1, Y4, Y3, Y3
	VPSHUFB  Y2, Y5, Y2
	VPAND    Y2, Y3, Y3
	VPCMPEQB Y2, Y3, Y3
	VPMOVMSKB Y3, R10

	SHLQ $32, BX
	ORQ  BX, AX
	MOVQ AX, (DI)
	SHLQ $32, R10
	ORQ  R10, R9
	MOVQ R9, (R8)
	ADDQ $64, SI
	ADDQ $8, DI
	ADDQ $8, R8
	DECQ CX
	JMP  loop

done:
	VZEROUPPER
	RET
