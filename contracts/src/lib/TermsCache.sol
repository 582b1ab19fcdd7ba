// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title TermsCache
/// @notice A key's first validation word (ValidationWord's layout), cached in the KeyStore's signer
/// word above its state byte (KeyStore.writeTerms), where validation reads it with the signer's
/// state instead of reading `_vcfg`'s slot (contracts/README.md, "What stands between v2 and the
/// bars"). Layout, bit 0 first: bits 0-7 the KeyStore's state, bit 8 present, 9-30 the writer's
/// epoch field, 31-70 validAfter, 71-110 validUntil, 111-158 maxFeePerGas, 159-222 maxCostPerOp,
/// 223-254 opCeiling. The epoch field is (epoch + the writer's address) mod 2^22: a cache another
/// writer left matches only by chance (2^-22), and only a writer the account named could leave one.
/// A word that does not fit (a second word set, validAfter or validUntil at 2^40 or more,
/// maxCostPerOp at 2^64 or more) or an epoch at 2^22 or more has no cache (0).
library TermsCache {
    uint256 internal constant PRESENT = 1 << 8;
    uint256 internal constant EPOCH_LIMIT = 1 << 22;

    function field(uint256 epoch, address writer) internal pure returns (uint256) {
        unchecked {
            return (epoch + uint160(writer)) & (EPOCH_LIMIT - 1);
        }
    }

    /// @dev The cache of validation word `word` (flags ACTIVE only) at `epoch`, for `writer`; 0 when
    /// it has none.
    function pack(uint256 word, uint256 epoch, address writer) internal pure returns (uint256 c) {
        uint256 f = field(epoch, writer);
        // by hand: FunctorPolicyConfig, which writes it, is near EIP-170's limit
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let validAfter := and(shr(8, word), 0xffffffffffff)
            let validUntil := and(shr(56, word), 0xffffffffffff)
            let maxCostPerOp := and(shr(152, word), 0xffffffffffffffffff)
            // flags ACTIVE alone, the epoch and the fields within their widths
            if and(
                and(eq(and(word, 0xff), 1), lt(epoch, EPOCH_LIMIT)),
                and(and(lt(validAfter, shl(40, 1)), lt(validUntil, shl(40, 1))), lt(maxCostPerOp, shl(64, 1)))
            ) {
                c := or(or(or(PRESENT, shl(9, f)), or(shl(31, validAfter), shl(71, validUntil))), or(
                    or(shl(111, and(shr(104, word), 0xffffffffffff)), shl(159, maxCostPerOp)), shl(223, shr(224, word))
                ))
            }
        }
    }

    /// @dev The validation word a signer's word `w` caches for `epoch` and `writer`: hit only when
    /// the signer is ENABLED (state 1), the cache present, the epoch below 2^22 and the field this
    /// writer's; the word is then exactly the one `pack` was given.
    function unpack(uint256 w, uint256 epoch, address writer) internal pure returns (bool hit, uint256 word) {
        hit = w & 0x1ff == PRESENT | 1 && epoch < EPOCH_LIMIT && (w >> 9) & (EPOCH_LIMIT - 1) == field(epoch, writer);
        if (hit) {
            word = 1 | (uint256(uint40(w >> 31)) << 8) | (uint256(uint40(w >> 71)) << 56)
                | (uint256(uint48(w >> 111)) << 104) | (uint256(uint64(w >> 159)) << 152)
                | (uint256(uint32(w >> 223)) << 224);
        }
    }
}
