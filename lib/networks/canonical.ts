// The account contracts people's accounts use on public chains, at their canonical addresses: the
// defaults of a network's configuration, and where the devnet lays its own copies. Kernel's come
// from the ZeroDev SDK itself; Biconomy's K1Validator, Safe's and Rhinestone's Safe7579 adapter and
// launchpad are not exported by any installed SDK (permissionless keeps them as private defaults,
// and takes Safe7579's as arguments), so they are written here once, with their source.
import type { Address } from 'viem';
import { entryPoint07Address } from 'viem/account-abstraction';
import { KernelVersionToAddressesMap } from '@zerodev/sdk/constants';
import { getValidatorAddress } from '@zerodev/ecdsa-validator';

const KERNEL = KernelVersionToAddressesMap['0.3.1'];

export const CANONICAL = {
  entryPoint: entryPoint07Address,
  kernel: {
    implementation: KERNEL.accountImplementationAddress,
    factory: KERNEL.factoryAddress,
    ownerValidator: getValidatorAddress({ address: entryPoint07Address, version: '0.7' }, '0.3.1'),
  },
  nexus: {
    // permissionless's toNexusSmartAccount default (BICONOMY_ADDRESSES.K1_VALIDATOR_ADDRESS), Nexus 1.0.
    ownerValidator: '0x00000004171351c442B202678c48D8AB5B321E8f' as Address,
  },
  safe: {
    // Safe 1.4.1 and Safe4337Module 0.3.0 (safe-global/safe-deployments; permissionless's defaults).
    singleton: '0x41675C099F32341bf84BFc5382aF534df5C7461a' as Address,
    singletonL2: '0x29fcB43b46531BcA003ddC8FCB67FFE91900C762' as Address,
    proxyFactory: '0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67' as Address,
    multiSend: '0x38869bf66a61cF6bDB996A6aE40D5853Fd43B526' as Address,
    multiSendCallOnly: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2' as Address,
    fallbackHandler: '0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99' as Address,
    safe4337Module: '0x75cf11467937ce3F2f357CE24ffc3DBF8fD5c226' as Address,
    moduleSetup: '0x2dd68b007B46fBe91B9A7c3EDa5A7a1063cB5b47' as Address,
    // Rhinestone's Safe7579 v1.0 deployments (github.com/rhinestonewtf/safe7579, README "Deployments")
    // and its ERC-7484 module registry.
    safe7579: '0x7579EE8307284F293B1927136486880611F20002' as Address,
    launchpad: '0x7579011aB74c46090561ea277Ba79D510c6C00ff' as Address,
    registry: '0x000000000069E2a187AEFFb852bF3cCdC95151B2' as Address,
  },
} as const;
