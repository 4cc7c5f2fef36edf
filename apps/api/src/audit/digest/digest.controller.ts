import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { isSignedDigest, takeDigest, verifyDigest } from '../../../../../libs/audit/index.js';
import type { SqlClient } from '../../../../../libs/database/index.js';
import { Access } from '../../auth/access.decorator.js';
import { ApiError } from '../../common/api-error.js';
import { SQL_CLIENT } from '../../common/tokens.js';
import { DigestKeyring } from '../audit-dependencies.js';

export class VerifyDigestRequest {
  @ApiProperty({
    description: 'A digest as GET /api/audit/digest returned it; its `streams` may be left out (the log gives them back)',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  readonly digest!: Record<string, unknown>;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class DigestController {
  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly keyring: DigestKeyring,
  ) {}

  @Get('digest')
  @Access(['auditor'])
  @ApiOperation({
    summary: 'Sign the heads of every stream and the global position, now',
    description:
      'Ed25519 over the canonical JSON of `payload`; `payload.headsSha256` commits to `streams`. Keep it outside this system and verify it later.',
  })
  async digest() {
    return takeDigest(this.db, this.keyring.signingKey());
  }

  @Post('digest/verify')
  @HttpCode(200)
  @Access(['auditor'])
  @ApiOperation({
    summary: "Prove that today's log extends an earlier digest",
    description: 'valid: the signature holds and every digested head is still reached by an intact chain; otherwise `problems` names the stream and version.',
  })
  async verify(@Body() request: VerifyDigestRequest) {
    if (!isSignedDigest(request.digest)) {
      throw new ApiError(400, 'invalid-digest', 'digest must be an object as GET /api/audit/digest returns it');
    }
    return verifyDigest(this.db, request.digest, this.keyring.signingKey().publicKeyPem);
  }

  @Get('public-key')
  @Access(['auditor'])
  @ApiOperation({ summary: 'The Ed25519 public key that signs digests (SPKI PEM) and its key id (SHA-256 of the DER key)' })
  publicKey() {
    const key = this.keyring.signingKey();
    return { algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem };
  }
}
