import { Text } from '../../common/text.js';

export class ReasonDto {
  @Text('Why; kept in the audit trail', 2000, 'Department restructuring')
  readonly reason!: string;
}
