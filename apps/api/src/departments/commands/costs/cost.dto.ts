import { COST_BEARERS, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, poundsToPence, type CostBearer, type RecordCost } from '../../../../../../libs/domain/index.js';
import { OneOf, Period, Text } from '../../../common/text.js';
import { Pounds } from '../money.js';

/** An implementation cost as it is incurred: a department's, a centre's or the programme's. */
export class RecordCostDto {
  @Period('Quarter the cost was incurred in', '2027-Q1')
  readonly period!: string;

  @Pounds('Cost in pounds', 0.01)
  readonly amountGbp!: number;

  @OneOf(COST_BEARERS, 'Who bore the cost')
  readonly borneBy!: CostBearer;

  @Text('What the money was spent on', MAX_NAME_LENGTH, 'data migration')
  readonly category!: string;

  @Text('Reference to the evidence (invoice, ledger entry)', MAX_TEXT_LENGTH, 'finance://invoices/2027/0042')
  readonly evidenceRef!: string;
}

/** The cost as the domain takes it, wherever it is recorded (a department's stream, a centre's, the programme's). */
export function costFrom(dto: RecordCostDto): Omit<RecordCost, 'type' | 'at'> {
  return { period: dto.period, amountPence: poundsToPence(dto.amountGbp), borneBy: dto.borneBy, category: dto.category, evidenceRef: dto.evidenceRef };
}
