import { MAX_TEXT_LENGTH } from '../../../../../libs/domain/index.js';
import { Text } from '../../common/text.js';

export class ReasonDto {
  @Text('Why; kept in the audit trail', MAX_TEXT_LENGTH, 'Department restructuring')
  readonly reason!: string;
}
